// Wrong methods answer the API's JSON 405 with an Allow header; OPTIONS lists the real methods.

import { describe, expect, it } from "vitest";
import { allowHeader, otherMethods } from "@/lib/http/methods";

describe("otherMethods", () => {
  it("answers every other method with 405 method_not_allowed in JSON and an Allow header", async () => {
    const handlers = otherMethods("POST");
    for (const method of ["GET", "HEAD", "PUT", "PATCH", "DELETE"] as const) {
      const response = handlers[method](new Request("http://app.test/api/x", { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("OPTIONS, POST");
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual({
        error: { code: "method_not_allowed", message: "This endpoint answers POST only." },
      });
    }
  });

  it("answers OPTIONS with 204 and only the route's own methods", () => {
    const response = otherMethods("GET", "POST").OPTIONS(
      new Request("http://app.test/api/x", { method: "OPTIONS" }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
  });

  it("hands out no handler for the route's own methods", () => {
    expect(Object.keys(otherMethods("GET", "POST")).sort()).toEqual(
      ["DELETE", "OPTIONS", "PATCH", "PUT"].sort(),
    );
    expect(Object.keys(otherMethods("GET")).sort()).toEqual(
      ["DELETE", "OPTIONS", "PATCH", "POST", "PUT"].sort(),
    );
  });

  it("allowHeader: HEAD comes with GET, OPTIONS always, in a fixed order", () => {
    expect(allowHeader(["GET"])).toBe("GET, HEAD, OPTIONS");
    expect(allowHeader(["POST", "GET"])).toBe("GET, HEAD, OPTIONS, POST");
    expect(allowHeader(["POST"])).toBe("OPTIONS, POST");
  });
});
