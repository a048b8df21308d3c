// JSON responses of the HTTP API. Every answer depends on who asks, so none may be cached.

export function jsonResponse(data: unknown, init?: ResponseInit): Response {
  const headers = new Headers(init?.headers);
  headers.set("cache-control", "no-store");
  return Response.json(data, { ...init, headers });
}

/**
 * True when the client asked for the whole result as JSON (`Accept: application/json`) rather
 * than a stream; an Accept that also names text/event-stream, or none at all, means the stream.
 */
export function prefersJson(request: Request): boolean {
  const accept = (request.headers.get("accept") ?? "").toLowerCase();
  return accept.includes("application/json") && !accept.includes("text/event-stream");
}
