// The HTTP answer for audio bytes: the whole file (200), or the byte range a media element asked
// for (206 with Content-Range), so that browsers can seek; 416 for a range past the end.

export type AudioBody = { bytes: Uint8Array; contentType: string; etag: string };

type ByteRange = { start: number; end: number };

/**
 * The one range of `Range: bytes=...` within `size` bytes: "unsatisfiable" when it starts past
 * the end, null when there is no usable single range (then the whole file is the answer, as
 * RFC 9110 allows; several ranges are answered that way too).
 */
export function parseRange(
  header: string | null,
  size: number,
): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return null;
  if (from === "") {
    // The last N bytes.
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return "unsatisfiable";
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return null;
  return { start, end };
}

export function audioResponse(request: Request, body: AudioBody): Response {
  const size = body.bytes.byteLength;
  const headers = new Headers({
    "content-type": body.contentType,
    "accept-ranges": "bytes",
    etag: body.etag,
    // Private to its owner: a browser may keep it, no shared cache may; revalidated each time.
    "cache-control": "private, no-cache",
  });
  if (request.headers.get("if-none-match") === body.etag) {
    return new Response(null, { status: 304, headers });
  }
  // If-Range with another validator: the file changed since the client's part, send it all.
  const ifRange = request.headers.get("if-range");
  const range =
    ifRange && ifRange !== body.etag ? null : parseRange(request.headers.get("range"), size);
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set("content-range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("content-length", String(range.end - range.start + 1));
    return new Response(body.bytes.slice(range.start, range.end + 1), { status: 206, headers });
  }
  headers.set("content-length", String(size));
  return new Response(body.bytes.slice(), { status: 200, headers });
}
