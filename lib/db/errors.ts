// Maps errors from Postgres (pg, PGlite) and PostgREST to the project's AppError.

import { AppError, isErrorCode } from "@/lib/errors";

type DbErrorLike = { code?: unknown; message?: unknown; detail?: unknown; details?: unknown };

// SQLSTATEs that bad input can cause; everything else is our fault and maps to `internal`.
const SQLSTATE_CODES: Record<string, AppError["code"]> = {
  "22P02": "invalid_input", // invalid_text_representation, e.g. a malformed uuid
  "22P05": "invalid_input", // untranslatable_character: PostgREST's answer to "\u0000" in JSON
  "22001": "invalid_input", // string_data_right_truncation
  "22021": "invalid_input", // character_not_in_repertoire
  "23514": "invalid_input", // check_violation
  "23503": "not_found", // foreign_key_violation
  "42501": "forbidden", // insufficient_privilege
};

// The database (or the PostgREST in front of it) is unreachable or out of capacity: a 503 the
// client may retry, not a 500. SQLSTATE classes 08 (connection) and 53 (insufficient resources,
// e.g. too many connections), shutdowns (57P01-57P03), PostgREST's PGRST000-PGRST003 (no database
// connection, pool timeout) and Node's socket errors from `pg`.
const UNAVAILABLE =
  /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[123]|PGRST00[0-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/;

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
  if (typeof e.code === "string" && UNAVAILABLE.test(e.code)) {
    console.error("[db] database unavailable", e.code, message);
    return new AppError("service_unavailable", undefined, { cause: error });
  }
  const mapped = typeof e.code === "string" ? SQLSTATE_CODES[e.code] : undefined;
  if (mapped) {
    console.warn("[db]", e.code, message);
    return new AppError(mapped, undefined, { cause: error });
  }
  console.error("[db] unexpected database error", error);
  return new AppError("internal", undefined, { cause: error });
}
