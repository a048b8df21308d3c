// What proxy.ts gets from lib/http: the 413 for an oversized page or action body (API routes
// keep their own caps), and the API scope that lets the sign-in port renew a session in a
// route handler.

import { describe, expect, it } from "vitest";
import { insideApiHandler } from "@/lib/http/api-scope";
import { withApi } from "@/lib/http/errors";
import { refuseOversizedBody } from "@/lib/http/proxy-guards";

const post = (path: string, length?: number) =>
  new Request(`http://app.test${path}`, {
    method: "POST",
    headers: length === undefined ? {} : { "content-length": String(length) },
  });

describe("refuseOversizedBody", () => {
  it("answers a declared body over 64 KB to a page (a server action) with a JSON 413", async () => {
    const response = refuseOversizedBody(post("/", 64 * 1024 + 1));
    expect(response?.status).toBe(413);
    expect(await response?.json()).toEqual({
      error: { code: "payload_too_large", message: "The request body may be at most 65536 bytes." },
    });
    expect(refuseOversizedBody(post("/signup", 10 * 1024 * 1024))?.status).toBe(413);
  });

  it("lets bodies within the cap, undeclared lengths and API routes through", () => {
    expect(refuseOversizedBody(post("/", 64 * 1024))).toBeNull();
    expect(refuseOversizedBody(post("/"))).toBeNull();
    expect(refuseOversizedBody(new Request("http://app.test/"))).toBeNull();
    // A voice recording may be megabytes; its route checks its own cap.
    expect(refuseOversizedBody(post("/api/conversations/x/voice", 5 * 1024 * 1024))).toBeNull();
  });
});

describe("insideApiHandler", () => {
  it("is true inside withApi, also after an await and in the stream it returns, false outside", async () => {
    expect(insideApiHandler()).toBe(false);
    const seen: boolean[] = [];
    const handler = withApi(async () => {
      seen.push(insideApiHandler());
      await new Promise((r) => setTimeout(r, 5));
      seen.push(insideApiHandler());
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          seen.push(insideApiHandler());
          controller.close();
        },
      });
      return new Response(stream);
    });
    const response = await handler(new Request("http://app.test/api/x"), undefined);
    await response.text();
    expect(seen).toEqual([true, true, true]);
    expect(insideApiHandler()).toBe(false);
  });
});
