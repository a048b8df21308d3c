// Wrong methods: a route file exports these for the methods it does not answer, so a wrong method
// gets the API's JSON error (405 method_not_allowed with an Allow header) instead of Next.js's
// empty 405, and OPTIONS lists only the real methods.
//   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

import { AppError } from "@/lib/errors";
import { errorResponse } from "./errors";

/** The methods Next.js routes to a route file's exports. */
export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Handler = (request: Request) => Response;

/** The Allow header for a route answering `methods`: HEAD comes with GET, OPTIONS always. */
export function allowHeader(methods: readonly HttpMethod[]): string {
  const allowed = new Set<HttpMethod>(methods);
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return HTTP_METHODS.filter((method) => allowed.has(method)).join(", ");
}

export function methodNotAllowed(methods: readonly HttpMethod[]): Response {
  const response = errorResponse(
    new AppError("method_not_allowed", `This endpoint answers ${methods.join(" and ")} only.`),
  );
  response.headers.set("allow", allowHeader(methods));
  return response;
}

/** HEAD comes with GET: Next.js answers it with the GET handler, minus the body. */
type Answered<A extends HttpMethod> = A | ("GET" extends A ? "HEAD" : never);

/**
 * Handlers for every method other than `allowed` (and HEAD, when GET is allowed): 405 in JSON,
 * and OPTIONS answering 204 with the Allow header. Typed so that a route cannot take one of its
 * own methods from here.
 */
export function otherMethods<A extends HttpMethod>(
  ...allowed: A[]
): Record<Exclude<HttpMethod, Answered<A>>, Handler> {
  const answered = new Set<HttpMethod>(allowed);
  if (answered.has("GET")) answered.add("HEAD");
  const handlers: Partial<Record<HttpMethod, Handler>> = {};
  for (const method of HTTP_METHODS) {
    if (answered.has(method)) continue;
    handlers[method] =
      method === "OPTIONS"
        ? () => new Response(null, { status: 204, headers: { allow: allowHeader(allowed) } })
        : () => methodNotAllowed(allowed);
  }
  return handlers as Record<Exclude<HttpMethod, Answered<A>>, Handler>;
}
