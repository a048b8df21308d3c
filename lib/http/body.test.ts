// readJsonBody: each way a body can be wrong has its own status and code.

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES, readJsonBody } from "./body";

const schema = z.object({ name: z.string().min(1) });

function post(body: BodyInit | null, contentType: string | null = "application/json") {
  const headers = new Headers();
  if (contentType) headers.set("content-type", contentType);
  return new Request("http://test.local/x", { method: "POST", headers, body });
}

async function failure(request: Request): Promise<AppError> {
  try {
    await readJsonBody(request, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("Expected readJsonBody to throw.");
}

describe("readJsonBody", () => {
  it("returns the parsed object, ignoring a charset parameter and unknown keys", async () => {
    const value = await readJsonBody(
      post('{"name":"Ada","extra":1}', "application/json; charset=utf-8"),
      schema,
    );
    expect(value).toEqual({ name: "Ada" });
  });

  it.each([
    ["no content type", null],
    ["text/plain", "text/plain"],
    ["form data", "application/x-www-form-urlencoded"],
    ["a json-ish type", "application/jsonx"],
  ])("refuses %s with 415 unsupported_media_type", async (_label, type) => {
    const e = await failure(post('{"name":"Ada"}', type));
    expect([e.status, e.code]).toEqual([415, "unsupported_media_type"]);
  });

  it.each([
    ["invalid JSON", "{not json"],
    ["an empty body", ""],
    ["an array", "[]"],
    ["a string", '"hello"'],
    ["null", "null"],
    ["a number", "42"],
    ["a boolean", "true"],
  ])("refuses %s with 400 invalid_json", async (_label, body) => {
    const e = await failure(post(body));
    expect([e.status, e.code]).toEqual([400, "invalid_json"]);
  });

  it("refuses an object the schema rejects with 400 invalid_input naming the field", async () => {
    const e = await failure(post('{"name":""}'));
    expect([e.status, e.code]).toEqual([400, "invalid_input"]);
    expect(e.details).toEqual({ issues: [{ path: "name", message: expect.any(String) }] });
  });

  it("refuses a body over the limit with 413 payload_too_large, by declared length", async () => {
    const big = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) });
    const e = await failure(post(big));
    expect([e.status, e.code]).toEqual([413, "payload_too_large"]);
  });

  it("refuses a streamed body over the limit without a declared length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request("http://test.local/x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const e = await failure(request);
    expect(e.code).toBe("payload_too_large");
    // It stopped reading soon after the limit instead of buffering the whole body.
    expect(sent).toBeLessThan(10);
  });
});
