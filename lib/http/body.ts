// Reads a request body at the HTTP boundary: any body as capped bytes (readCappedBody, also the
// voice upload's), and a JSON body: the content type, a size cap, valid JSON, an object at the
// top, then the route's zod schema, each with its own error code.

import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { BODY_TIMEOUT_MS, MAX_BODY_BYTES } from "./body-limits";
import { mediaType } from "./request-guard";
import { parseInput } from "./validation";

export { BODY_TIMEOUT_MS, MAX_BODY_BYTES };

export type ReadJsonOptions = { maxBytes?: number; timeoutMs?: number };

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body may be at most ${maxBytes} bytes.`);
}

/**
 * The body's bytes. Read as a stream and refused at the first chunk past maxBytes, whatever
 * Content-Length claims (a chunked body has none), so an oversized body is never buffered; and
 * refused with 408 request_timeout when the whole body has not arrived within timeoutMs. Either
 * way the rest is cancelled. `tooLarge` is the 413 to throw (its sentence names the limit).
 */
export async function readCappedBody(
  request: Request,
  options: { maxBytes: number; timeoutMs: number; tooLarge: () => AppError },
): Promise<Uint8Array> {
  const { maxBytes, timeoutMs } = options;
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw options.tooLarge();
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("request_timeout")), timeoutMs);
  });
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw options.tooLarge();
      parts.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(parts);
}

async function readText(request: Request, maxBytes: number, timeoutMs: number): Promise<string> {
  const bytes = await readCappedBody(request, {
    maxBytes,
    timeoutMs,
    tooLarge: () => tooLarge(maxBytes),
  });
  return Buffer.from(bytes).toString("utf8");
}

/**
 * The request's JSON body parsed by `schema`. Throws AppError: 415 unsupported_media_type unless
 * Content-Type is application/json; 413 payload_too_large past maxBytes; 408 request_timeout
 * when the body takes longer than timeoutMs; 400 invalid_json for
 * text that is not JSON or JSON that is not an object (arrays, strings, numbers, null); 400
 * invalid_input with `details.issues` when the schema refuses it.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<z.output<S>> {
  if (mediaType(request.headers.get("content-type")) !== "application/json") {
    throw new AppError("unsupported_media_type");
  }
  const text = await readText(
    request,
    options.maxBytes ?? MAX_BODY_BYTES,
    options.timeoutMs ?? BODY_TIMEOUT_MS,
  );

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("invalid_json", "The request body must be a JSON object.");
  }
  return parseInput(schema, value);
}
