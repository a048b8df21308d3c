// Managing a conversation over HTTP: PATCH /api/conversations/{id} renames it, DELETE deletes it
// (and the Storage objects of its audio), GET .../export downloads it as Markdown with every
// message. The route handlers are called directly on a migrated PGlite database and, when
// TEST_DATABASE_URL is set, on the real PostgreSQL server too. next/headers is replaced by an
// in-memory cookie jar (the one piece of Next.js the handlers use), and Supabase Storage by a
// STAND-IN that records what it is asked to remove (these databases keep no Storage objects).

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setConfigForTests } from "@/lib/config";
import { type DbPort, setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";
import { migratedServerDatabase, serverPort, TEST_DATABASE_URL } from "../support/server";

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

/** STAND-IN for Supabase Storage: the paths the app asked it to remove. */
const storage = vi.hoisted(() => ({ removed: [] as string[] }));

vi.mock("@/lib/voice/audio-store", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/voice/audio-store")>();
  return {
    ...real,
    getAudioStore: () => ({
      ...real.databaseAudioStore(),
      kind: "storage" as const,
      async discard(placement: { storagePath: string | null }) {
        if (placement.storagePath) storage.removed.push(placement.storagePath);
      },
    }),
  };
});

// Imported after the mocks are registered (vi.mock is hoisted above imports).
const { GET: getPersonas } = await import("@/app/api/personas/route");
const { GET: listRoute, POST: createRoute } = await import("@/app/api/conversations/route");
const conversationRoute = await import("@/app/api/conversations/[id]/route");
const { GET: exportRoute, ...exportOthers } = await import(
  "@/app/api/conversations/[id]/export/route"
);

type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
type Backend = { port: DbPort; sql: Sql; close: () => Promise<void> };

const BACKENDS: { name: string; open: () => Promise<Backend> }[] = [
  {
    name: "PGlite",
    open: async () => {
      const { db, port } = await freshPglitePort();
      return {
        port,
        sql: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
        close: () => db.close(),
      };
    },
  },
  ...(TEST_DATABASE_URL
    ? [
        {
          name: "PostgreSQL",
          open: async (): Promise<Backend> => {
            const scratch = await migratedServerDatabase("manage");
            const { port, pool } = serverPort(scratch.url);
            return {
              port,
              sql: async (text, params) => (await pool.query(text, params)).rows,
              close: async () => {
                await port.close();
                await scratch.drop();
              },
            };
          },
        },
      ]
    : []),
];

const BASE = "http://test.local/api";
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

/** A guest visitor: the cookies the jar holds while they act. */
type Visitor = Map<string, string>;

/** Runs `work` as `visitor` (a fresh guest when their jar is empty), keeping their cookies. */
async function as<T>(visitor: Visitor, work: () => Promise<T>): Promise<T> {
  jar.values.clear();
  for (const [name, value] of visitor) jar.values.set(name, value);
  try {
    return await work();
  } finally {
    visitor.clear();
    for (const [name, value] of jar.values) visitor.set(name, value);
    jar.values.clear();
  }
}

function request(path: string, init: RequestInit = {}): Request {
  return new Request(`${BASE}${path}`, init);
}

function patch(id: string, body: unknown, headers: Record<string, string> = {}) {
  return conversationRoute.PATCH(
    request(`/conversations/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    ctx(id),
  );
}

function remove(id: string, init: RequestInit = {}) {
  return conversationRoute.DELETE(
    request(`/conversations/${id}`, { method: "DELETE", ...init }),
    ctx(id),
  );
}

function read(id: string) {
  return conversationRoute.GET(request(`/conversations/${id}`), ctx(id));
}

function exportOf(id: string) {
  return exportRoute(request(`/conversations/${id}/export`), ctx(id));
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

async function personaId(slug = "socrates"): Promise<string> {
  const body = await (await getPersonas(request("/personas"), undefined)).json();
  return body.personas.find((p: { slug: string }) => p.slug === slug).id;
}

/** Starts a conversation as whoever the jar holds; its id. */
async function start(slug = "socrates"): Promise<string> {
  const response = await createRoute(
    request("/conversations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personaId: await personaId(slug) }),
    }),
    undefined,
  );
  expect(response.status).toBe(201);
  return (await response.json()).conversation.id;
}

async function listedTitles(): Promise<Record<string, string | null>> {
  const body = await (await listRoute(request("/conversations"), undefined)).json();
  return Object.fromEntries(
    body.conversations.map((c: { id: string; title: string | null }) => [c.id, c.title]),
  );
}

for (const backend of BACKENDS) {
  describe(`managing a conversation over HTTP (${backend.name})`, () => {
    let db: Backend;

    beforeAll(async () => {
      db = await backend.open();
      setDbForTests(db.port);
    });

    afterAll(async () => {
      setDbForTests(undefined);
      await db.close();
    });

    beforeEach(() => {
      jar.values.clear();
      storage.removed.length = 0;
      vi.stubEnv("APP_SECRET", "conversation-manage-secret-conversation-manage-0123");
      vi.stubEnv("DATABASE_URL", "");
      vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
      vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", "");
      vi.stubEnv("NEXT_PUBLIC_SUPABASE_ANON_KEY", "");
      vi.stubEnv("SUPABASE_SECRET_KEY", "");
      vi.stubEnv("SUPABASE_SERVICE_ROLE_KEY", "");
      vi.stubEnv("AI_BASE_URL", "");
      vi.stubEnv("AI_MODEL", "");
      vi.stubEnv("GUEST_CONVERSATIONS_PER_SESSION", "100");
      // The settings are parsed once per process: read them again from the stubbed environment.
      setConfigForTests();
    });

    afterEach(() => {
      vi.unstubAllEnvs();
      setConfigForTests();
    });

    describe("PATCH /api/conversations/{id}", () => {
      it("renames the owner's conversation: 200 {conversation}, and the list shows it", async () => {
        const owner: Visitor = new Map();
        await as(owner, async () => {
          const id = await start();
          const response = await patch(id, { title: "  Virtue   and\tknowledge  " });
          expect(response.status).toBe(200);
          expect(response.headers.get("cache-control")).toBe("no-store");
          const { conversation } = await response.json();
          // Trimmed, with runs of whitespace folded into one space (rename_conversation).
          expect(conversation).toMatchObject({ id, title: "Virtue and knowledge" });
          expect((await listedTitles())[id]).toBe("Virtue and knowledge");
          expect((await (await read(id)).json()).conversation.title).toBe("Virtue and knowledge");

          // 100 characters is the most; emoji count as one character each.
          const hundred = "🦉".repeat(100);
          expect((await (await patch(id, { title: hundred })).json()).conversation.title).toBe(
            hundred,
          );
        });
      });

      it("refuses a bad title with 400 invalid_input and keeps the old one", async () => {
        const owner: Visitor = new Map();
        await as(owner, async () => {
          const id = await start();
          expect((await patch(id, { title: "Kept" })).status).toBe(200);
          const bad: unknown[] = [
            { title: "" },
            { title: " \t\n " },
            { title: "x".repeat(101) },
            { title: "🦉".repeat(101) },
            { title: 42 },
            { title: null },
            {},
          ];
          for (const body of bad) {
            const response = await patch(id, body);
            expect(response.status, JSON.stringify(body)).toBe(400);
            expect(await errorCode(response)).toBe("invalid_input");
          }
          const notJson = await patch(id, "{title:");
          expect([notJson.status, await errorCode(notJson)]).toEqual([400, "invalid_json"]);
          const badId = await patch("not-a-uuid", { title: "Fine" });
          expect(badId.status).toBe(400);
          expect((await listedTitles())[id]).toBe("Kept");
        });
      });

      it("answers 404 not_found for someone else's conversation, or with no session", async () => {
        const owner: Visitor = new Map();
        const stranger: Visitor = new Map();
        const id = await as(owner, async () => {
          const id = await start();
          expect((await patch(id, { title: "Mine" })).status).toBe(200);
          return id;
        });
        await as(stranger, async () => {
          await start(); // a real session of its own
          const response = await patch(id, { title: "Yours now" });
          expect([response.status, await errorCode(response)]).toEqual([404, "not_found"]);
          const unknown = await patch("6a1f0c3e-8b2d-4c5e-9f70-112233445566", { title: "No" });
          expect(unknown.status).toBe(404);
        });
        await as(new Map(), async () => {
          const response = await patch(id, { title: "Nobody's" });
          expect([response.status, await errorCode(response)]).toEqual([404, "not_found"]);
          expect(jar.values.size).toBe(0); // no guest session made on the way
        });
        await as(owner, async () => expect((await listedTitles())[id]).toBe("Mine"));
      });

      it("is a state change: from another site 403 cross_site, a form body 415, nothing saved", async () => {
        const owner: Visitor = new Map();
        await as(owner, async () => {
          const id = await start();
          expect((await patch(id, { title: "Before" })).status).toBe(200);
          const crossSite = await patch(
            id,
            { title: "Forged" },
            { "sec-fetch-site": "cross-site" },
          );
          expect([crossSite.status, await errorCode(crossSite)]).toEqual([403, "cross_site"]);
          const otherOrigin = await patch(id, { title: "Forged" }, { origin: "https://evil.test" });
          expect(otherOrigin.status).toBe(403);
          const form = await conversationRoute.PATCH(
            request(`/conversations/${id}`, {
              method: "PATCH",
              headers: { "content-type": "text/plain" },
              body: JSON.stringify({ title: "Forged" }),
            }),
            ctx(id),
          );
          expect([form.status, await errorCode(form)]).toEqual([415, "unsupported_media_type"]);
          expect((await listedTitles())[id]).toBe("Before");
        });
      });
    });

    describe("DELETE /api/conversations/{id}", () => {
      it("204, then GET and DELETE answer 404; its messages and audio rows are gone, its Storage objects removed", async () => {
        const owner: Visitor = new Map();
        await as(owner, async () => {
          const id = await start();
          const kept = await start("captain-nova");
          const [message] = await db.sql(
            `insert into public.messages (conversation_id, sender, role, content)
             values ($1, 'assistant', 'assistant', 'A spoken reply') returning id`,
            [id],
          );
          const path = `${id}/${message?.id}.mp3`;
          await db.sql(
            `insert into chat_private.message_audio
               (message_id, conversation_id, content_type, byte_size, duration_ms, storage_path)
             values ($1, $2, 'audio/mpeg', 1, 1, $3)`,
            [message?.id, id, path],
          );

          const response = await remove(id);
          expect(response.status).toBe(204);
          expect(await response.text()).toBe("");
          expect(storage.removed).toEqual([path]);

          const after = await read(id);
          expect([after.status, await errorCode(after)]).toEqual([404, "not_found"]);
          const again = await remove(id);
          expect([again.status, await errorCode(again)]).toEqual([404, "not_found"]);
          expect((await exportOf(id)).status).toBe(404);
          const rows = await db.sql(
            `select (select count(*) from public.messages where conversation_id = $1)::int as messages,
                    (select count(*) from chat_private.message_audio where conversation_id = $1)::int as audio`,
            [id],
          );
          expect(rows[0]).toEqual({ messages: 0, audio: 0 });
          // Only that one: the caller's other conversation is still there.
          expect(Object.keys(await listedTitles())).toEqual([kept]);
          expect((await read(kept)).status).toBe(200);
        });
      });

      it("others cannot delete it (404), nor can a cross-site request or a form post (403, 415)", async () => {
        const owner: Visitor = new Map();
        const stranger: Visitor = new Map();
        const id = await as(owner, () => start());
        await as(stranger, async () => {
          await start();
          const response = await remove(id);
          expect([response.status, await errorCode(response)]).toEqual([404, "not_found"]);
        });
        await as(new Map(), async () => expect((await remove(id)).status).toBe(404));
        await as(owner, async () => {
          const crossSite = await remove(id, { headers: { "sec-fetch-site": "same-site" } });
          expect([crossSite.status, await errorCode(crossSite)]).toEqual([403, "cross_site"]);
          const form = await remove(id, {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "confirm=1",
          });
          expect([form.status, await errorCode(form)]).toEqual([415, "unsupported_media_type"]);
          expect((await read(id)).status).toBe(200);
        });
        expect(storage.removed).toEqual([]);
      });
    });

    describe("GET /api/conversations/{id}/export", () => {
      it("downloads every message of a long conversation, in order, as Markdown", async () => {
        const owner: Visitor = new Map();
        await as(owner, async () => {
          const id = await start();
          const renamed = await patch(id, { title: "Questions & answers: a *long* talk" });
          const { createdAt } = (await renamed.json()).conversation as { createdAt: string };
          // 450 messages: three pages of get_conversation's largest (200).
          const total = 450;
          await db.sql(
            `insert into public.messages (conversation_id, sender, role, content, stopped, created_at)
             select $1, x.role, x.role, 'm' || lpad(i::text, 4, '0') || ' of the talk',
                    i = 300, now() - interval '1 hour' + i * interval '1 millisecond'
             from generate_series(1, $2::int) i,
               lateral (select case when i % 2 = 1 then 'user' else 'assistant' end as role) x`,
            [id, total],
          );

          const response = await exportOf(id);
          expect(response.status).toBe(200);
          expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
          expect(response.headers.get("cache-control")).toBe("no-store");
          // Named after the title and the day the conversation started.
          expect(response.headers.get("content-disposition")).toBe(
            `attachment; filename="questions-answers-a-long-talk-${new Date(createdAt).toISOString().slice(0, 10)}.md"`,
          );
          const markdown = await response.text();

          expect(markdown.startsWith("# Questions & answers: a \\*long\\* talk\n")).toBe(true);
          expect(markdown).toContain("- Persona: Socrates\n");
          expect(markdown).toContain(`- Messages: ${total}\n`);
          const seen = [...markdown.matchAll(/\bm(\d{4}) of the talk/g)].map((m) => Number(m[1]));
          expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
          expect(markdown.match(/^## You · /gm)).toHaveLength(total / 2);
          expect(markdown.match(/^## Socrates( \(stopped\))? · /gm)).toHaveLength(total / 2);
          // The one stopped reply is marked, right above its text.
          expect(markdown).toMatch(/## Socrates \(stopped\) · [^\n]+\n\nm0300 of the talk/);
          expect(markdown.match(/\(stopped\)/g)).toHaveLength(1);
        });
      });

      it("a new conversation exports with no messages; others and visitors get 404", async () => {
        const owner: Visitor = new Map();
        const id = await as(owner, async () => {
          const id = await start("chef-remy");
          const response = await exportOf(id);
          expect(response.status).toBe(200);
          const markdown = await response.text();
          expect(markdown).toContain("# Conversation with Chef Rémy\n");
          expect(markdown).toContain("- Messages: 0\n");
          expect(response.headers.get("content-disposition")).toMatch(
            /^attachment; filename="chef-remy-\d{4}-\d{2}-\d{2}\.md"$/,
          );
          return id;
        });
        await as(new Map(), async () => {
          await start();
          const response = await exportOf(id);
          expect([response.status, await errorCode(response)]).toEqual([404, "not_found"]);
        });
        await as(new Map(), async () => {
          expect((await exportOf(id)).status).toBe(404);
          expect((await exportOf("nope")).status).toBe(400);
        });
      });
    });

    describe("methods", () => {
      it("the conversation answers GET, PATCH and DELETE; its export GET only (JSON 405 otherwise)", async () => {
        const id = "6a1f0c3e-8b2d-4c5e-9f70-112233445566";
        const post = conversationRoute.POST(request(`/conversations/${id}`, { method: "POST" }));
        expect(post.status).toBe(405);
        expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS, DELETE, PATCH");
        expect(await errorCode(post)).toBe("method_not_allowed");
        const options = conversationRoute.OPTIONS(
          request(`/conversations/${id}`, { method: "OPTIONS" }),
        );
        expect([options.status, options.headers.get("allow")]).toEqual([
          204,
          "GET, HEAD, OPTIONS, DELETE, PATCH",
        ]);
        const deleteExport = exportOthers.DELETE(
          request(`/conversations/${id}/export`, { method: "DELETE" }),
        );
        expect([deleteExport.status, deleteExport.headers.get("allow")]).toEqual([
          405,
          "GET, HEAD, OPTIONS",
        ]);
      });
    });
  });
}
