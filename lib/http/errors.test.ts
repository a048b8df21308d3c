// errorResponse: every thrown value becomes the API's JSON error with a fitting status.

import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { errorResponse, withApi } from "./errors";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("errorResponse", () => {
  it("answers an AppError with its status, code, message and details", async () => {
    const response = errorResponse(
      new AppError("invalid_input", "Bad.", { details: { issues: [] } }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      error: { code: "invalid_input", message: "Bad.", details: { issues: [] } },
    });
  });

  it("answers an unknown error with 500 internal, logs it, and never shows its text", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = errorResponse(new Error('relation "secret_table" does not exist'));
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.error.code).toBe("internal");
    expect(JSON.stringify(body)).not.toContain("secret_table");
    expect(log).toHaveBeenCalledOnce();
  });

  it.each([
    ["a bad DATABASE_URL", new ConfigError("DATABASE_URL must be a postgres:// URL.")],
    ["a lone AI_MODEL", new ConfigError("AI_BASE_URL and AI_MODEL must be set together.")],
  ])("answers a %s with 503 service_unavailable and its one sentence", async (_label, error) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = errorResponse(error);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: "service_unavailable", message: error.message },
    });
  });

  it("withApi turns a throwing handler into the error response", async () => {
    const handler = withApi(async () => {
      throw new AppError("guest_limit_reached");
    });
    const response = await handler(new Request("http://test.local/"), undefined);
    expect(response.status).toBe(429);
    expect((await response.json()).error.code).toBe("guest_limit_reached");
  });
});
