// Cross-site and content-type checks on state-changing API requests, through withApi, the
// wrapper every route handler uses: a refused request never reaches its handler.

import { describe, expect, it, vi } from "vitest";
import { withApi } from "@/lib/http/errors";
import { assertSameOrigin } from "@/lib/http/request-guard";

const URL_ = "http://app.test:3000/api/conversations/x/end";

function request(method: string, headers: Record<string, string> = {}, body?: BodyInit) {
  return new Request(URL_, { method, headers: { host: "app.test:3000", ...headers }, body });
}

/** The answer of a wrapped handler that records whether it ran. */
async function through(req: Request, accepts?: readonly ("json" | "multipart")[]) {
  const handler = vi.fn(async () => Response.json({ ran: true }));
  const response = await withApi(handler, { accepts })(req, undefined);
  const body = (await response.json()) as { ran?: true; error?: { code: string } };
  return { status: response.status, code: body.error?.code, ran: handler.mock.calls.length > 0 };
}

describe("cross-site requests → 403 cross_site", () => {
  it.each([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    // The finding: a page on a sibling subdomain ended a visitor's conversation.
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    [
      "Sec-Fetch-Site: cross-site, even with a matching Origin",
      { "sec-fetch-site": "cross-site", origin: "http://app.test:3000" },
    ],
    ["another Origin (no Sec-Fetch-Site)", { origin: "https://evil.test" }],
    ["the same host on another port", { origin: "http://app.test:4000" }],
    ["Origin: null (sandboxed frame)", { origin: "null" }],
    ["a garbled Origin", { origin: "::::" }],
  ])("%s", async (_label, headers) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const result = await through(
        request(method, { "content-type": "application/json", ...headers }),
      );
      expect(result).toEqual({ status: 403, code: "cross_site", ran: false });
    }
  });

  it.each([
    ["Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin" }],
    ["Sec-Fetch-Site: none (typed by the user)", { "sec-fetch-site": "none" }],
    ["the same Origin", { origin: "http://app.test:3000" }],
    [
      "the Origin of the host a proxy forwarded",
      { origin: "https://chat.example", "x-forwarded-host": "chat.example" },
    ],
    ["no Origin and no Sec-Fetch-Site (curl, a server)", {}],
  ])("%s passes", async (_label, headers) => {
    const result = await through(
      request("POST", { "content-type": "application/json", ...headers }),
    );
    expect(result).toEqual({ status: 200, code: undefined, ran: true });
  });

  it("reads are never refused: GET from another site still runs", async () => {
    const result = await through(request("GET", { "sec-fetch-site": "cross-site" }));
    expect(result.ran).toBe(true);
  });

  it("compares the Origin's host case-insensitively with Host", () => {
    expect(() =>
      assertSameOrigin(
        new Request(URL_, {
          method: "POST",
          headers: { host: "App.Test:3000", origin: "http://APP.test:3000" },
        }),
      ),
    ).not.toThrow();
  });
});

describe("bodies a route does not take → 415 unsupported_media_type", () => {
  it.each([
    ["text/plain (a cross-site form's enctype)", "text/plain"],
    ["text/plain with a charset", "text/plain;charset=UTF-8"],
    ["a urlencoded form", "application/x-www-form-urlencoded"],
    ["multipart, on a JSON route", "multipart/form-data; boundary=x"],
    ["a JSON look-alike", "application/jsonx"],
  ])("%s", async (_label, type) => {
    // Even on a bodyless route (end, retry) and from no browser at all.
    const result = await through(request("POST", { "content-type": type }, "{}"));
    expect(result).toEqual({ status: 415, code: "unsupported_media_type", ran: false });
  });

  it("a body with no Content-Type at all", async () => {
    const result = await through(request("POST", { "content-length": "2" }, "{}"));
    expect(result).toEqual({ status: 415, code: "unsupported_media_type", ran: false });
  });

  it.each([
    ["application/json", { "content-type": "application/json" }],
    ["application/json; charset=utf-8", { "content-type": "application/json; charset=utf-8" }],
    ["no body and no Content-Type (curl -X POST)", {}],
    ["an empty body and no Content-Type", { "content-length": "0" }],
  ])("%s passes", async (_label, headers) => {
    const result = await through(request("POST", headers));
    expect(result.ran).toBe(true);
  });

  it("multipart passes where a route opts in (voice), JSON still does, text/plain still not", async () => {
    const voice = ["json", "multipart"] as const;
    const form = new FormData();
    form.set("audio", new Blob(["..."], { type: "audio/webm" }));
    expect((await through(request("POST", {}, form), voice)).ran).toBe(true);
    expect(
      (await through(request("POST", { "content-type": "application/json" }), voice)).ran,
    ).toBe(true);
    const plain = await through(request("POST", { "content-type": "text/plain" }, "x"), voice);
    expect([plain.status, plain.ran]).toEqual([415, false]);
  });

  it("the cross-site check comes first: a cross-site text/plain post answers 403", async () => {
    const result = await through(
      request("POST", { "content-type": "text/plain", "sec-fetch-site": "cross-site" }, "x"),
    );
    expect(result).toEqual({ status: 403, code: "cross_site", ran: false });
  });
});
