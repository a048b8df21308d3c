// The one place where anything a route handler throws becomes the API's JSON error
// `{"error": {"code", "message"}}` with the matching status (README, "HTTP API").

import { ConfigError } from "@/lib/config";
import { AppError, toAppError } from "@/lib/errors";
import { jsonResponse } from "./respond";

/**
 * Any thrown value as an AppError. A bad setting (ConfigError) is the operator's
 * to fix: it answers 503 with its one sentence. Anything unknown is logged once by toAppError and
 * answers 500 `internal` with a generic sentence, so database text never reaches the client.
 */
export function toHttpError(error: unknown): AppError {
  if (error instanceof ConfigError) {
    console.error(`[config] ${error.message}`);
    return new AppError("service_unavailable", error.message, { cause: error });
  }
  return toAppError(error);
}

export function errorResponse(error: unknown): Response {
  const e = toHttpError(error);
  return jsonResponse(e.toJSON(), { status: e.status });
}

/** Wraps a route handler so that whatever it throws is answered by errorResponse. */
export function withErrorHandling<Context = unknown>(
  handler: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
