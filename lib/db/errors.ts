// Maps errors from Postgres (pg, PGlite) and PostgREST to the project's AppError.

import { AppError, isErrorCode } from "@/lib/errors";

type DbErrorLike = { code?: unknown; message?: unknown; detail?: unknown; details?: unknown };

// SQLSTATEs that bad input can cause; everything else is our fault and maps to `internal`.
const SQLSTATE_CODES: Record<string, AppError["code"]> = {
  "22P02": "invalid_input", // invalid_text_representation, e.g. a malformed uuid
  "22001": "invalid_input", // string_data_right_truncation
  "22021": "invalid_input", // character_not_in_repertoire
  "23514": "invalid_input", // check_violation
  "23503": "not_found", // foreign_key_violation
  "42501": "forbidden", // insufficient_privilege
};

/**
 * The SQL functions raise SQLSTATE P0001 with a stable code as the message and a sentence as the
 * detail (supabase/migrations/*_chat_functions.sql). pg and PGlite expose `detail`, PostgREST
 * `details`.
 */
export function mapDatabaseError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as DbErrorLike;
  const message = typeof e.message === "string" ? e.message : "";
  const detail =
    typeof e.detail === "string" ? e.detail : typeof e.details === "string" ? e.details : undefined;

  if (e.code === "P0001" && isErrorCode(message)) {
    return new AppError(message, detail || undefined, { cause: error });
  }
  const mapped = typeof e.code === "string" ? SQLSTATE_CODES[e.code] : undefined;
  if (mapped) {
    console.warn("[db]", e.code, message);
    return new AppError(mapped, undefined, { cause: error });
  }
  console.error("[db] unexpected database error", error);
  return new AppError("internal", undefined, { cause: error });
}
