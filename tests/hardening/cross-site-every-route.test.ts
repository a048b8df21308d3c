// Issue 9, finding 11, for every route handler there is: each file under app/api is found on disk
// and every state-changing method it answers (its OPTIONS lists them) is sent what a cross-site
// page can send: an auto-submitted text/plain or urlencoded form, with the visitor's cookies.
// Each must answer 403 cross_site (or, from no browser at all, 415 for a body the route does not
// take), and nothing of the visitor's may change. A new route that skipped withApi would fail
// here. The browser itself is in e2e/api-edge-hardening.spec.ts (the same-site form).

import { readdir } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { setConfigForTests } from "@/lib/config";
import { setDbForTests } from "@/lib/db";
import { BASE_ENV, createConversation, personaIds, postMessage } from "../support/hardening-app";
import { freshPglitePort } from "../support/pglite";
import { CookieJar, callRoute } from "../support/request-scope";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

type Handler = (request: Request, context: unknown) => Promise<Response> | Response;

const API = path.join(process.cwd(), "app", "api");
const STATE_CHANGING = ["POST", "PUT", "PATCH", "DELETE"];

/** What a cross-site page can send without CORS: a form post, in each form encoding. */
const ATTACKS: { label: string; headers: Record<string, string>; body: string }[] = [
  {
    label: "cross-site text/plain form",
    headers: { "content-type": "text/plain", "sec-fetch-site": "cross-site" },
    body: '{"content":"=x"}',
  },
  {
    label: "same-site (sibling subdomain) urlencoded form",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-site",
      origin: "http://evil.app.test",
    },
    body: "content=x&title=x",
  },
  {
    label: "older browser: a foreign Origin only, JSON claimed",
    headers: { "content-type": "application/json", origin: "https://evil.test" },
    body: '{"content":"x","title":"x"}',
  },
  {
    label: "cross-site multipart form",
    headers: {
      "content-type": "multipart/form-data; boundary=x",
      "sec-fetch-site": "cross-site",
    },
    body: '--x\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\nRIFF\r\n--x--\r\n',
  },
];

let pglite: PGlite;
const jar = new CookieJar();
let conversationId = "";
let messageId = "";

beforeAll(async () => {
  const fresh = await freshPglitePort();
  pglite = fresh.db;
  setDbForTests(fresh.port);
  setConfigForTests({ ...BASE_ENV });
  const created = await createConversation(jar, (await personaIds())[0] ?? "", "192.0.2.9");
  conversationId = ((await created.json()) as { conversation: { id: string } }).conversation.id;
  const posted = await postMessage(jar, conversationId, "Hello there", "192.0.2.9", { json: true });
  messageId = ((await posted.json()) as { assistantMessage: { id: string } }).assistantMessage.id;
});

afterAll(async () => {
  setDbForTests(undefined);
  setConfigForTests();
  await pglite.close();
});

async function routeFiles(): Promise<string[]> {
  const entries = await readdir(API, { recursive: true });
  return entries.filter((entry) => entry.endsWith(`${path.sep}route.ts`) || entry === "route.ts");
}

/** The URL path and params of a route file, with this visitor's ids in its slots. */
function target(file: string) {
  const segments = path.dirname(file).split(path.sep).filter(Boolean);
  const params: Record<string, string | string[]> = {};
  const parts = segments.map((segment) => {
    if (segment === "[id]") {
      params.id = conversationId;
      return conversationId;
    }
    if (segment === "[messageId]") {
      params.messageId = messageId;
      return messageId;
    }
    if (segment.startsWith("[...")) {
      params[segment.slice(4, -1)] = ["anything"];
      return "anything";
    }
    return segment;
  });
  return {
    url: `http://app.test/api/${parts.join("/")}`,
    context: { params: Promise.resolve(params) },
  };
}

async function visitorState() {
  const { rows } = await pglite.query<{ status: string; title: string | null; messages: number }>(
    `select c.status::text as status, c.title,
       (select count(*)::int from public.messages m where m.conversation_id = c.id) as messages
     from public.conversations c where c.id = $1`,
    [conversationId],
  );
  return rows[0];
}

it("every state-changing route answers a cross-site form with 403 cross_site and changes nothing", async () => {
  const before = await visitorState();
  expect(before).toMatchObject({ status: "active", messages: 2 });
  const files = await routeFiles();
  expect(files.length).toBeGreaterThanOrEqual(10);
  const tried: string[] = [];
  for (const file of files) {
    const mod = (await import(path.join(API, file))) as Record<string, Handler | undefined>;
    const { url, context } = target(file);
    if (file.startsWith("[...")) continue; // the catch-all answers 404 to everything; below
    const options = mod.OPTIONS;
    expect(options, `${file} answers OPTIONS`).toBeTypeOf("function");
    const allow = (
      await (options as Handler)(new Request(url, { method: "OPTIONS" }), context)
    ).headers.get("allow");
    for (const method of STATE_CHANGING.filter((m) => allow?.split(", ").includes(m))) {
      const handler = mod[method] as Handler;
      for (const attack of ATTACKS) {
        const request = new Request(url, {
          method,
          headers: { host: "app.test", ...attack.headers },
          body: attack.body,
        });
        const response = await callRoute(jar, handler as never, request, context);
        const body = (await response.json()) as { error?: { code: string } };
        expect([response.status, body.error?.code], `${method} ${url}: ${attack.label}`).toEqual([
          403,
          "cross_site",
        ]);
      }
      // The same form from no browser at all (no Origin, no Sec-Fetch-Site): still refused.
      const plain = new Request(url, {
        method,
        headers: { host: "app.test", "content-type": "text/plain" },
        body: "x",
      });
      const response = await callRoute(jar, handler as never, plain, context);
      expect(response.status, `${method} ${url}: text/plain from curl`).toBe(415);
      tried.push(`${method} ${url.replace("http://app.test", "")}`);
    }
  }
  console.log(`refused cross-site on ${tried.length} method/route pairs:\n  ${tried.join("\n  ")}`);
  // At least the ones finding 11 is about.
  for (const must of ["/end", "/messages", "/retry", "/voice"]) {
    expect(
      tried.some((t) => t.startsWith("POST ") && t.endsWith(must)),
      must,
    ).toBe(true);
  }
  expect(tried).toContain("POST /api/conversations");
  expect(await visitorState()).toEqual(before);
});

it("the catch-all answers 404 to a cross-site form too, without touching anything", async () => {
  const mod = (await import(path.join(API, "[...path]", "route.ts"))) as Record<string, Handler>;
  for (const method of STATE_CHANGING) {
    const response = await (mod[method] as Handler)(
      new Request("http://app.test/api/anything", {
        method,
        headers: { "content-type": "text/plain", "sec-fetch-site": "cross-site" },
        body: "x",
      }),
      undefined,
    );
    expect(response.status).toBe(404);
  }
});
