// Checks on every state-changing API request before its handler runs: it comes from this site,
// and its body (if any) is of a type the handler takes. Together they stop cross-site forms and
// no-cors fetches, which can send only text/plain, urlencoded or multipart bodies with cookies.

import { AppError } from "@/lib/errors";

/** Body types a route takes. JSON everywhere; multipart only where a route opts in (voice). */
export type BodyKind = "json" | "multipart";

const MEDIA_TYPES: Record<BodyKind, string> = {
  json: "application/json",
  multipart: "multipart/form-data",
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The media type of a Content-Type value, lowercased, without parameters; null when absent. */
export function mediaType(value: string | null): string | null {
  const type = value?.split(";")[0]?.trim().toLowerCase();
  return type ? type : null;
}

/** The host the client addressed: X-Forwarded-Host (set by a proxy in front) or Host. */
function requestHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host");
}

/**
 * Refuses a request that a browser made for another site (403 cross_site). Sec-Fetch-Site is
 * the browser's own word: same-origin and none (typed by the user) pass, same-site and
 * cross-site do not, since a sibling subdomain is not this app. Without it (older browsers) the
 * Origin must name this host. A request with neither comes from no browser (curl, a server):
 * it carries no visitor's cookies unless its sender has them, so it passes.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site")?.toLowerCase();
  if (site) {
    if (site === "same-origin" || site === "none") return;
    throw new AppError("cross_site");
  }
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const host = requestHost(request.headers);
  // "null" is the Origin of sandboxed frames and of redirects across sites.
  if (!host || !URL.canParse(origin) || new URL(origin).host !== host.toLowerCase()) {
    throw new AppError("cross_site");
  }
}

function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  if (length !== null) return Number(length) !== 0;
  return headers.has("transfer-encoding");
}

/**
 * Refuses a body the route does not take (415 unsupported_media_type), also on routes that read
 * no body at all (end, retry): a form post with text/plain never reaches a handler. A request
 * with no Content-Type passes only when it has no body either.
 */
export function assertBodyKind(request: Request, accepts: readonly BodyKind[]): void {
  const type = mediaType(request.headers.get("content-type"));
  if (type === null) {
    if (hasBody(request.headers)) throw new AppError("unsupported_media_type");
    return;
  }
  if (accepts.some((kind) => MEDIA_TYPES[kind] === type)) return;
  throw new AppError(
    "unsupported_media_type",
    `Send the request body as ${accepts.map((kind) => MEDIA_TYPES[kind]).join(" or ")}.`,
  );
}

/** Both checks, for state-changing methods only; reads never change anything. */
export function guardRequest(request: Request, accepts: readonly BodyKind[] = ["json"]): void {
  if (!isStateChanging(request.method)) return;
  assertSameOrigin(request);
  assertBodyKind(request, accepts);
}
