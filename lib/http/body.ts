// Reads a JSON request body at the HTTP boundary: the content type, a size cap, valid JSON, an
// object at the top, then the route's zod schema, each with its own error code.

import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseInput } from "./validation";

/** Far above any valid body here (a message is at most 4000 characters, ~16 KB of UTF-8). */
export const MAX_BODY_BYTES = 64 * 1024;

export type ReadJsonOptions = { maxBytes?: number };

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const mediaType = value.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body may be at most ${maxBytes} bytes.`);
}

/** The body as text, refusing it once it passes maxBytes rather than buffering all of it. */
async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";

  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * The request's JSON body parsed by `schema`. Throws AppError: 415 unsupported_media_type unless
 * Content-Type is application/json; 413 payload_too_large past maxBytes; 400 invalid_json for
 * text that is not JSON or JSON that is not an object (arrays, strings, numbers, null); 400
 * invalid_input with `details.issues` when the schema refuses it.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<z.output<S>> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type");
  }
  const text = await readText(request, options.maxBytes ?? MAX_BODY_BYTES);

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
