// The route handlers of app/api, called directly on a migrated PGlite database with the built-in
// engine: what e2e cannot set up (an inactive persona, a bad AI setting) and what it cannot see
// (how many database calls one message costs, the engine stopping when the client leaves).
// next/headers is replaced by an in-memory cookie jar, the one piece of Next.js they use.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setConfigForTests } from "@/lib/config";
import type { DbPort } from "@/lib/db";
import { setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";

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
const { POST: retryRoute } = await import("@/app/api/conversations/[id]/retry/route");
const { POST: regenerateRoute } = await import("@/app/api/conversations/[id]/regenerate/route");

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
  vi.stubEnv("APP_SECRET", "route-tests-secret-route-tests-secret-0123");
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", "");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_ANON_KEY", "");
  vi.stubEnv("SUPABASE_SECRET_KEY", "");
  vi.stubEnv("SUPABASE_SERVICE_ROLE_KEY", "");
  vi.stubEnv("AI_BASE_URL", "");
  vi.stubEnv("AI_MODEL", "");
  vi.stubEnv("BUILTIN_ENGINE_DELAY_MS", "0");
  vi.stubEnv("REPLY_FAULT_INJECTION", "1");
  // The settings are parsed once per process: read them again from the stubbed environment.
  setConfigForTests();
});

afterEach(() => {
  vi.unstubAllEnvs();
  setConfigForTests();
  vi.restoreAllMocks();
});

const BASE = "http://test.local/api";
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

function jsonPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function personaId(slug = "socrates"): Promise<string> {
  const body = await (await getPersonas(new Request(`${BASE}/personas`), undefined)).json();
  return body.personas.find((p: { slug: string }) => p.slug === slug).id;
}

async function newConversation(): Promise<string> {
  const response = await createRoute(
    jsonPost("/conversations", { personaId: await personaId() }),
    undefined,
  );
  expect(response.status).toBe(201);
  return (await response.json()).conversation.id;
}

async function callsDuring(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = port.stats().byFunction;
  await run();
  const diff: Record<string, number> = {};
  for (const [fn, count] of Object.entries(port.stats().byFunction)) {
    if (count - (before[fn] ?? 0) > 0) diff[fn] = count - (before[fn] ?? 0);
  }
  return diff;
}

async function conversation(id: string) {
  return (await getRoute(new Request(`${BASE}/conversations/${id}`), ctx(id))).json();
}

describe("POST /api/conversations", () => {
  it("answers an inactive persona with 404 persona_not_found and sets no cookie", async () => {
    const id = await personaId("zen-master-kai");
    await pglite.query(
      "update public.personas set is_active = false where slug = 'zen-master-kai'",
    );
    try {
      const response = await createRoute(jsonPost("/conversations", { personaId: id }), undefined);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("persona_not_found");
      // The inactive persona is gone from the gallery too.
      const personas = (
        await (await getPersonas(new Request(`${BASE}/personas`), undefined)).json()
      ).personas as { slug: string }[];
      expect(personas.map((p) => p.slug)).not.toContain("zen-master-kai");
    } finally {
      await pglite.query(
        "update public.personas set is_active = true where slug = 'zen-master-kai'",
      );
    }
  });

  it("does not create a guest session for a request it refuses", async () => {
    const response = await createRoute(
      jsonPost("/conversations", { personaId: "nope" }),
      undefined,
    );
    expect(response.status).toBe(400);
    expect(jar.values.size).toBe(0);
  });

  it("lists nothing, and sets no cookie, for a visitor without a session", async () => {
    const response = await listRoute(new Request(`${BASE}/conversations`), undefined);
    expect(await response.json()).toEqual({ conversations: [], hasMore: false, nextBefore: null });
    expect(jar.values.size).toBe(0);
  });
});

describe("POST /api/conversations/{id}/messages", () => {
  it("costs exactly two database calls: post_user_message, then save_assistant_message", async () => {
    const id = await newConversation();
    let body: Record<string, unknown> = {};
    const calls = await callsDuring(async () => {
      const response = await postMessageRoute(
        jsonPost(
          `/conversations/${id}/messages`,
          { content: "  What is virtue?  " },
          { accept: "application/json" },
        ),
        ctx(id),
      );
      expect(response.status).toBe(200);
      body = await response.json();
    });
    expect(calls).toEqual({ post_user_message: 1, save_assistant_message: 1 });
    expect(body).toMatchObject({
      userMessage: { role: "user", content: "What is virtue?" },
      assistantMessage: { role: "assistant" },
      allowance: { limit: 10, used: 1, remaining: 9 },
    });
  });

  it("streams the same exchange in two database calls too", async () => {
    const id = await newConversation();
    let text = "";
    const calls = await callsDuring(async () => {
      const response = await postMessageRoute(
        jsonPost(`/conversations/${id}/messages`, { content: "Hello" }),
        ctx(id),
      );
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      text = await response.text();
    });
    expect(calls).toEqual({ post_user_message: 1, save_assistant_message: 1 });
    const types = text
      .split("\n\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)).type);
    expect(types[0]).toBe("start");
    expect(types.slice(-2)).toEqual(["text-end", "finish"]);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("on a failed reply: one more call (set_conversation_status), 503 reply_failed; the retry costs prepare_retry + save", async () => {
    const id = await newConversation();
    const failed = await callsDuring(async () => {
      const response = await postMessageRoute(
        jsonPost(
          `/conversations/${id}/messages`,
          { content: "Hi #fail-once" },
          { accept: "application/json" },
        ),
        ctx(id),
      );
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe("reply_failed");
    });
    expect(failed).toEqual({ post_user_message: 1, set_conversation_status: 1 });

    const retried = await callsDuring(async () => {
      const response = await retryRoute(
        new Request(`${BASE}/conversations/${id}/retry`, {
          method: "POST",
          headers: { accept: "application/json" },
        }),
        ctx(id),
      );
      expect(response.status).toBe(200);
      expect((await response.json()).allowance).toEqual({ limit: 10, used: 1, remaining: 9 });
    });
    expect(retried).toEqual({ prepare_retry: 1, save_assistant_message: 1 });
  });

  it("regenerate replaces the newest reply without using the allowance, within the retry budget", async () => {
    const id = await newConversation();
    const regenerate = () =>
      regenerateRoute(
        new Request(`${BASE}/conversations/${id}/regenerate`, {
          method: "POST",
          headers: { accept: "application/json" },
        }),
        ctx(id),
      );
    // Nothing to regenerate before the first reply.
    const early = await regenerate();
    expect([early.status, (await early.json()).error.code]).toEqual([409, "nothing_to_retry"]);

    const posted = await postMessageRoute(
      jsonPost(
        `/conversations/${id}/messages`,
        { content: "Hello" },
        { accept: "application/json" },
      ),
      ctx(id),
    );
    const first = (await posted.json()).assistantMessage;

    const calls = await callsDuring(async () => {
      const response = await regenerate();
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.userMessage.content).toBe("Hello");
      expect(body.assistantMessage.id).not.toBe(first.id);
      expect(body.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });
    });
    expect(calls).toEqual({ prepare_retry: 1, save_assistant_message: 1 });
    const detail = await conversation(id);
    expect(detail.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    expect(detail.messages[1].id).not.toBe(first.id);

    // RETRIES_PER_MESSAGE (3) regenerations in all, then 409 retry_limit_reached, nothing changed.
    for (let i = 0; i < 2; i++) expect((await regenerate()).status).toBe(200);
    const kept = (await conversation(id)).messages[1].id;
    const refused = await regenerate();
    expect([refused.status, (await refused.json()).error.code]).toEqual([
      409,
      "retry_limit_reached",
    ]);
    expect((await conversation(id)).messages.map((m: { id: string }) => m.id)[1]).toBe(kept);
  });

  it("answers a bad AI setting with 503 service_unavailable before saving anything", async () => {
    const id = await newConversation();
    vi.stubEnv("AI_BASE_URL", "http://127.0.0.1:9/v1");
    setConfigForTests();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const calls = await callsDuring(async () => {
      const response = await postMessageRoute(
        jsonPost(`/conversations/${id}/messages`, { content: "Hello" }),
        ctx(id),
      );
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.error.code).toBe("service_unavailable");
      expect(body.error.message).toContain("AI_MODEL");
    });
    expect(calls).toEqual({});
  });

  it("stops the engine and keeps the partial reply, marked stopped, when the client aborts mid-stream (Stop)", async () => {
    // Slow enough that the reply cannot finish between the first word and the abort, even on a
    // loaded machine (at 25 ms, and once in CI at 250 ms a word, it did, and was rightly saved
    // whole): #slow-reply (fault injection) spaces the pieces a further 300 ms apart.
    vi.stubEnv("BUILTIN_ENGINE_DELAY_MS", "250");
    setConfigForTests();
    const id = await newConversation();
    const client = new AbortController();
    // Held until the end: undici's Request follows the given signal only while the Request
    // object is alive, so a collected Request would never pass the abort on.
    const request = new Request(`${BASE}/conversations/${id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "Tell me everything. #slow-reply" }),
      signal: client.signal,
    });
    const response = await postMessageRoute(request, ctx(id));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes('"text-delta"')) {
      const { value } = await reader.read();
      seen += decoder.decode(value);
    }
    client.abort();
    await reader.cancel();

    // The reply is saved once the engine has stopped: poll generously, for a loaded machine.
    const deadline = Date.now() + 30_000;
    let detail = await conversation(id);
    while (detail.messages.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      detail = await conversation(id);
    }
    expect(detail.conversation.status).toBe("active");
    expect(
      detail.messages.map((m: { role: string; stopped: boolean }) => [m.role, m.stopped]),
    ).toEqual([
      ["user", false],
      ["assistant", true],
    ]);
    // What the client saw is the start of what was kept.
    const firstWords = [...seen.matchAll(/"delta":"((?:[^"\\]|\\.)*)"/g)]
      .map((m) => JSON.parse(`"${m[1]}"`))
      .join("");
    expect(detail.messages[1].content.startsWith(firstWords)).toBe(true);
    expect(detail.allowance.used).toBe(1);
    expect(request.signal.aborted).toBe(true);
  });

  it("answers every post with 404 not_found and no database call when there is no session", async () => {
    const id = await newConversation();
    jar.values.clear();
    const calls = await callsDuring(async () => {
      const response = await postMessageRoute(
        jsonPost(`/conversations/${id}/messages`, { content: "Hello" }),
        ctx(id),
      );
      expect(response.status).toBe(404);
    });
    expect(calls).toEqual({});
  });
});
