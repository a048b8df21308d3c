// Path ids: any UUID Postgres would accept passes, anything else is a 400 before the database.

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseParams, uuidSchema } from "./params";
import { prefersJson } from "./respond";

const schema = z.object({ id: uuidSchema });

describe("parseParams", () => {
  it.each([
    "3f2b8c1e-9d4a-4f6b-8a2c-1e5d7f9b0c3a",
    "3F2B8C1E-9D4A-4F6B-8A2C-1E5D7F9B0C3A",
    "00000000-0000-0000-0000-000000000000",
  ])("accepts %s", async (id) => {
    await expect(parseParams(Promise.resolve({ id }), schema)).resolves.toEqual({ id });
  });

  it.each([
    "not-a-uuid",
    "123",
    "",
    "3f2b8c1e-9d4a-4f6b-8a2c-1e5d7f9b0c3",
    "3f2b8c1e9d4a4f6b8a2c1e5d7f9b0c3a",
    "3f2b8c1e-9d4a-4f6b-8a2c-1e5d7f9b0c3a'--",
  ])("refuses %j with 400 invalid_input", async (id) => {
    const error = await parseParams({ id }, schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_input");
    expect((error as AppError).details).toEqual({
      issues: [{ path: "id", message: "Must be a UUID." }],
    });
  });
});

describe("prefersJson", () => {
  const request = (accept?: string) =>
    new Request("http://test.local/", { headers: accept ? { accept } : {} });

  it.each([
    [undefined, false],
    ["*/*", false],
    ["text/event-stream", false],
    ["application/json", true],
    ["application/json, text/plain, */*", true],
    ["text/event-stream, application/json", false],
  ])("Accept %s → JSON %s", (accept, expected) => {
    expect(prefersJson(request(accept))).toBe(expected);
  });
});
