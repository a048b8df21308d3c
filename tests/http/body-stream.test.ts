// Request bodies are read as a stream and refused at the first byte past the cap, whatever
// Content-Length says, and a body that trickles in is cut off: nothing past the cap is buffered.

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES, readJsonBody } from "@/lib/http/body";

const schema = z.object({ content: z.string() });

/** A chunked body (no Content-Length) that counts how many bytes were pulled from it. */
function countingStream(chunks: Uint8Array[], options: { delayMs?: number } = {}) {
  let pulled = 0;
  let cancelled = false;
  let i = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        const chunk = chunks[i++];
        if (!chunk) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

function post(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request("http://app.test/api/x", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("Expected a refusal.");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const encoder = new TextEncoder();
/** A valid JSON body of exactly `bytes` bytes: {"content":"xxx…"}. */
function jsonOfSize(bytes: number): Uint8Array {
  return encoder.encode(`{"content":"${"x".repeat(bytes - 14)}"}`);
}
function split(data: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < data.byteLength; at += size) parts.push(data.subarray(at, at + size));
  return parts;
}

describe("readJsonBody on a streamed body", () => {
  it("takes a chunked body of exactly the cap", async () => {
    const body = jsonOfSize(MAX_BODY_BYTES);
    expect(body.byteLength).toBe(MAX_BODY_BYTES);
    const { stream } = countingStream(split(body, 4096));
    const value = await readJsonBody(post(stream), schema);
    expect(value.content).toHaveLength(MAX_BODY_BYTES - 14);
  });

  it("refuses cap + 1 bytes, chunked, with 413 after reading no more than the chunk that crossed", async () => {
    const body = jsonOfSize(MAX_BODY_BYTES + 1);
    // 1 MB would follow; the reader must stop at the first chunk past the cap.
    const counting = countingStream([
      ...split(body, 4096),
      ...split(new Uint8Array(1 << 20), 4096),
    ]);
    const e = await failure(readJsonBody(post(counting.stream), schema));
    expect([e.status, e.code]).toEqual([413, "payload_too_large"]);
    expect(counting.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 4096);
    expect(counting.cancelled()).toBe(true);
  });

  it("is not fooled by a Content-Length that understates the body", async () => {
    const counting = countingStream(split(new Uint8Array(1 << 20).fill(0x20), 16 * 1024));
    const e = await failure(
      readJsonBody(post(counting.stream, { "content-length": "10" }), schema),
    );
    expect(e.code).toBe("payload_too_large");
    expect(counting.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 16 * 1024);
  });

  it("refuses a declared length over the cap before reading anything", async () => {
    const counting = countingStream([encoder.encode('{"content":"x"}')]);
    const e = await failure(
      readJsonBody(post(counting.stream, { "content-length": String(MAX_BODY_BYTES + 1) }), schema),
    );
    expect(e.code).toBe("payload_too_large");
    expect(counting.pulled()).toBe(0);
  });

  it("cuts off a body that trickles in with 408 request_timeout, and cancels it", async () => {
    // 100 bytes every 50 ms: 64 KB would take over half a minute.
    const counting = countingStream(split(jsonOfSize(2000), 100), { delayMs: 50 });
    const started = Date.now();
    const e = await failure(readJsonBody(post(counting.stream), schema, { timeoutMs: 300 }));
    expect([e.status, e.code]).toEqual([408, "request_timeout"]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(counting.cancelled()).toBe(true);
  });

  it("a slow but timely body is read whole", async () => {
    const counting = countingStream(split(jsonOfSize(500), 100), { delayMs: 20 });
    const value = await readJsonBody(post(counting.stream), schema, { timeoutMs: 2000 });
    expect(value.content).toHaveLength(486);
  });
});
