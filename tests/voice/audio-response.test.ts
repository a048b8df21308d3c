// Serving audio: the whole file, one byte range (206 with Content-Range) so players can seek, 416
// past the end, 304 for a copy the browser already has.

import { describe, expect, it } from "vitest";
import { audioResponse, parseRange } from "@/lib/voice/audio-response";

const bytes = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256));
const body = { bytes, contentType: "audio/mpeg", etag: '"m-1000"' };
const get = (headers: Record<string, string> = {}) =>
  audioResponse(new Request("http://app/audio", { headers }), body);

describe("parseRange", () => {
  it("reads bytes=a-b, bytes=a- and bytes=-n", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=990-5000", 1000)).toEqual({ start: 990, end: 999 });
  });

  it("answers the whole file for what it cannot use, and unsatisfiable past the end", () => {
    expect(parseRange(null, 1000)).toBeNull();
    expect(parseRange("bytes=0-1,5-6", 1000)).toBeNull();
    expect(parseRange("items=0-1", 1000)).toBeNull();
    expect(parseRange("bytes=50-10", 1000)).toBeNull();
    expect(parseRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 1000)).toBe("unsatisfiable");
  });
});

describe("audioResponse", () => {
  it("answers the whole file with its type, length and Accept-Ranges", async () => {
    const res = get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("content-length")).toBe("1000");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("answers a range with 206 and exactly those bytes", async () => {
    const res = get({ range: "bytes=100-199" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(res.headers.get("content-length")).toBe("100");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(100, 200));
  });

  it("416 past the end, 304 for the same ETag, the whole file when If-Range names another", async () => {
    const past = get({ range: "bytes=5000-" });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */1000");
    expect(get({ "if-none-match": '"m-1000"' }).status).toBe(304);
    expect(get({ range: "bytes=0-9", "if-range": '"other"' }).status).toBe(200);
    expect(get({ range: "bytes=0-9", "if-range": '"m-1000"' }).status).toBe(206);
  });
});
