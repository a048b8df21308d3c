// The conversation API over HTTP (the route handlers of app/api/conversations, called directly on
// a migrated PGlite database): pages of messages and of conversations with their cursors (a bad
// cursor is a 400, never a 500), the per-address limit on new guest sessions and one reply at a
// time as the client sees them. next/headers is replaced by an in-memory cookie jar, the one
// piece of Next.js the handlers use.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setConfigForTests } from "@/lib/config";
import type { DbPort } from "@/lib/db";
import { setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";
import { newAddress } from "./scenarios";

const jar = vi.hoisted(() => {
  const values = new Map<string, string>();
  return {
    values,
    get: (name: string) => (values.has(name) ? { name, value: values.get(name) } : undefined),
    set: (name: string, value: string) => {
      values.set(name, value);
    },
    delete: (name: string) => {
      values.delete(name);
    },
  };
});

vi.mock("next/headers", () => ({ cookies: async () => jar }));

// Imported after the mock is registered (vi.mock is hoisted above imports).
const { GET: getPersonas } = await import("@/app/api/personas/route");
const { GET: listRoute, POST: createRoute } = await import("@/app/api/conversations/route");
const { GET: getRoute } = await import("@/app/api/conversations/[id]/route");
const { POST: postMessageRoute } = await import("@/app/api/conversations/[id]/messages/route");

let pglite: PGlite;
let port: DbPort;

beforeAll(async () => {
  ({ db: pglite, port } = await freshPglitePort());
  setDbForTests(port);
});

afterAll(async () => {
  setDbForTests(undefined);
  await pglite.close();
});

beforeEach(() => {
  jar.values.clear();
  vi.stubEnv("APP_SECRET", "conversation-api-secret-conversation-api-0123");
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", "");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_ANON_KEY", "");
  vi.stubEnv("SUPABASE_SECRET_KEY", "");
  vi.stubEnv("SUPABASE_SERVICE_ROLE_KEY", "");
  vi.stubEnv("AI_BASE_URL", "");
  vi.stubEnv("AI_MODEL", "");
  vi.stubEnv("BUILTIN_ENGINE_DELAY_MS", "20");
  vi.stubEnv("CLIENT_IP_HEADER", "x-forwarded-for");
  vi.stubEnv("GUEST_CONVERSATIONS_PER_SESSION", "100");
  // The settings are parsed once per process: read them again from the stubbed environment.
  setConfigForTests();
});

afterEach(() => {
  vi.unstubAllEnvs();
  setConfigForTests();
});

const BASE = "http://test.local/api";
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

function jsonPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function personaId(): Promise<string> {
  const body = await (await getPersonas(new Request(`${BASE}/personas`), undefined)).json();
  return body.personas[0].id;
}

/** Starts a conversation as the guest in the jar (a new guest when the jar is empty). */
async function create(address = newAddress()): Promise<Response> {
  return createRoute(
    jsonPost("/conversations", { personaId: await personaId() }, { "x-forwarded-for": address }),
    undefined,
  );
}

async function conversationPage(id: string, query = "") {
  const response = await getRoute(new Request(`${BASE}/conversations/${id}${query}`), ctx(id));
  return { status: response.status, body: await response.json() };
}

async function listPage(query = "") {
  const response = await listRoute(new Request(`${BASE}/conversations${query}`), undefined);
  return { status: response.status, body: await response.json() };
}

describe("GET /api/conversations/{id}", () => {
  it("answers the newest 50 messages and pages back with ?before=, then 400 for a bad cursor", async () => {
    const id = (await (await create()).json()).conversation.id as string;
    await pglite.query(
      `insert into public.messages (conversation_id, sender, role, content, created_at)
       select $1, x.role, x.role, 'message ' || i, now() - interval '1 hour' + i * interval '1 millisecond'
       from generate_series(1, 120) i,
         lateral (select case when i % 2 = 1 then 'user' else 'assistant' end as role) x`,
      [id],
    );
    const first = await conversationPage(id);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual([
      "allowance",
      "conversation",
      "hasMore",
      "messages",
      "nextBefore",
      "persona",
    ]);
    expect(first.body.messages).toHaveLength(50);
    expect(first.body.messages[0].content).toBe("message 71");
    expect(first.body.hasMore).toBe(true);
    expect(first.body.nextBefore).toBe(first.body.messages[0].id);

    const second = await conversationPage(id, `?before=${first.body.nextBefore}`);
    expect(second.body.messages.map((m: { content: string }) => m.content)).toEqual(
      Array.from({ length: 50 }, (_, i) => `message ${21 + i}`),
    );
    const third = await conversationPage(id, `?before=${second.body.nextBefore}`);
    expect(third.body.messages).toHaveLength(20);
    expect([third.body.hasMore, third.body.nextBefore]).toEqual([false, null]);

    for (const bad of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", ""]) {
      const response = await conversationPage(id, `?before=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe("invalid_input");
    }
  });
});

describe("GET /api/conversations", () => {
  it("pages the list with ?before=<nextBefore>; a bad cursor is 400 invalid_input", async () => {
    const address = newAddress();
    for (let i = 0; i < 55; i++) expect((await create(address)).status).toBe(201);
    const first = await listPage();
    expect(first.body.conversations).toHaveLength(50);
    expect(first.body.hasMore).toBe(true);
    const second = await listPage(`?before=${encodeURIComponent(first.body.nextBefore)}`);
    expect(second.body.conversations).toHaveLength(5);
    expect([second.body.hasMore, second.body.nextBefore]).toEqual([false, null]);
    const ids = [...first.body.conversations, ...second.body.conversations].map(
      (c: { id: string }) => c.id,
    );
    expect(new Set(ids).size).toBe(55);
    for (const bad of ["junk!", "12_not-a-uuid", `${"9".repeat(40)}`, "%00"]) {
      const response = await listPage(`?before=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe("invalid_input");
    }
  });
});

describe("the limits over HTTP", () => {
  it("the 21st new guest from one address in an hour is 429 rate_limited with when to come back", async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i++) {
      jar.values.clear();
      expect((await create(address)).status).toBe(201);
    }
    jar.values.clear();
    const refused = await create(address);
    expect(refused.status).toBe(429);
    const body = await refused.json();
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/Try again in \d+ minutes, or sign up to keep chatting\.$/);
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(3500);
    // Another address is not affected.
    jar.values.clear();
    expect((await create(newAddress())).status).toBe(201);
  });

  it("a message sent while the reply to another is written is 409 reply_in_progress, and not saved", async () => {
    const id = (await (await create()).json()).conversation.id as string;
    const [a, b] = await Promise.all([
      postMessageRoute(jsonPost(`/conversations/${id}/messages`, { content: "first" }), ctx(id)),
      postMessageRoute(jsonPost(`/conversations/${id}/messages`, { content: "second" }), ctx(id)),
    ]);
    expect([a.status, b.status]).toEqual([200, 409]);
    expect((await b.json()).error.code).toBe("reply_in_progress");
    const detail = await conversationPage(id);
    expect(detail.body.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
    ]);
    expect(detail.body.allowance.used).toBe(1);
    // With the reply saved, the next message goes through.
    const next = await postMessageRoute(
      jsonPost(`/conversations/${id}/messages`, { content: "second" }),
      ctx(id),
    );
    expect(next.status).toBe(200);
  });
});
