// The one place where anything a route handler throws becomes the API's JSON error
// `{"error": {"code", "message"}}` with the matching status (README, "HTTP API"), and the wrapper
// every route handler goes through.

import { ConfigError } from "@/lib/config";
import { AppError, toAppError } from "@/lib/errors";
import { runInApiScope } from "./api-scope";
import { type BodyKind, guardRequest } from "./request-guard";
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
  // rate_limited and too_many_attempts say when to come back (details.retryAfterSeconds).
  const retryAfter = e.details?.retryAfterSeconds;
  const headers: HeadersInit =
    typeof retryAfter === "number" ? { "retry-after": String(Math.ceil(retryAfter)) } : {};
  return jsonResponse(e.toJSON(), { status: e.status, headers });
}

export type ApiOptions = {
  /** Body types the handler takes on state-changing methods; JSON only unless it says so. */
  accepts?: readonly BodyKind[];
};

/**
 * Wraps every route handler of the API. State-changing requests are checked first (403
 * cross_site, 415 unsupported_media_type: lib/http/request-guard.ts), so no handler can forget
 * it; whatever the handler throws is answered by errorResponse.
 */
export function withApi<Context = unknown>(
  handler: (request: Request, context: Context) => Promise<Response>,
  options: ApiOptions = {},
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      guardRequest(request, options.accepts);
      return await runInApiScope(() => handler(request, context));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The former name of withApi, with the same checks; route files are moving to withApi. */
export const withErrorHandling = withApi;
