// Issue 9, finding 12, on the real PostgreSQL server through the real route handler: a
// conversation of 500 long messages (4000 characters each, 2 MB in all) answers the newest 50 at
// a time, each page a fraction of the whole, and paging back with ?before= walks every message
// exactly once, in order. The chat page's loader (app/(chat)/c/[id]) gets one page too.

import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { loadConversation } from "@/app/(chat)/c/[id]/load-conversation";
import {
  type ConversationBody,
  createConversation,
  getConversation,
  personaIds,
  type ServerApp,
  startServerApp,
} from "../support/hardening-app";
import { CookieJar, inRequest } from "../support/request-scope";
import { describeServer } from "../support/server";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

const MESSAGES = 500;
const LENGTH = 4000;

describeServer("a conversation of 500 messages, paged (real server)", () => {
  let app: ServerApp;
  const jar = new CookieJar();
  let id = "";

  beforeAll(async () => {
    app = await startServerApp("long", {}, 10);
    const created = await createConversation(jar, (await personaIds())[0] ?? "", "192.0.2.50");
    id = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    // Each message starts with its number, then runs to 4000 characters.
    await app.sql(
      `insert into public.messages (conversation_id, sender, role, content, created_at)
       select $1, x.role, x.role, rpad('message ' || i || ' ', $2, 'lorem ipsum '),
         now() - interval '1 hour' + i * interval '1 millisecond'
       from generate_series(1, $3::int) i,
         lateral (select case when i % 2 = 1 then 'user' else 'assistant' end as role) x`,
      [id, LENGTH, MESSAGES],
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  const numberOf = (content: string) => Number(/^message (\d+) /.exec(content)?.[1]);

  it("answers pages of 50, newest first, each a tenth of the whole; ?before= walks all 500 once", async () => {
    const pages: { bytes: number; body: ConversationBody }[] = [];
    let query = "";
    do {
      const page = await getConversation(jar, id, query);
      expect(page.status).toBe(200);
      pages.push(page);
      query = page.body.nextBefore ? `?before=${page.body.nextBefore}` : "";
    } while (query && pages.length < 20);

    const sizes = pages.map((p) => p.bytes);
    console.log(
      `500 messages of ${LENGTH} characters: ${pages.length} pages, ${Math.max(...sizes)} bytes at most, ${sizes.reduce((a, b) => a + b, 0)} in all`,
    );
    expect(pages).toHaveLength(10);
    expect(pages.map((p) => p.body.messages.length)).toEqual(Array(10).fill(50));
    expect(pages.map((p) => p.body.hasMore)).toEqual([...Array(9).fill(true), false]);
    expect(pages.at(-1)?.body.nextBefore).toBeNull();
    // One page carries 50 messages' worth of text, not 500.
    for (const bytes of sizes) expect(bytes).toBeLessThan(50 * LENGTH * 1.1 + 10_000);
    expect(Math.max(...sizes)).toBeLessThan(MESSAGES * LENGTH * 0.15);

    expect(pages[0]?.body.messages.map((m) => numberOf(m.content))).toEqual(
      Array.from({ length: 50 }, (_, i) => 451 + i),
    );
    const all = pages.toReversed().flatMap((p) => p.body.messages.map((m) => numberOf(m.content)));
    expect(all).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
    expect(new Set(pages.flatMap((p) => p.body.messages.map((m) => m.id))).size).toBe(MESSAGES);
  });

  it("10 page loads at once each get the newest 50", async () => {
    const loads = await Promise.all(Array.from({ length: 10 }, () => getConversation(jar, id)));
    for (const load of loads) {
      expect(load.body.messages.map((m) => numberOf(m.content))).toEqual(
        Array.from({ length: 50 }, (_, i) => 451 + i),
      );
    }
  });

  it("the chat page's loader gets one page, and says there are earlier ones", async () => {
    const detail = await inRequest(jar, {}, () => loadConversation(id));
    expect(detail?.messages).toHaveLength(50);
    expect(detail?.hasMore).toBe(true);
    expect(numberOf(detail?.messages.at(-1)?.content ?? "")).toBe(MESSAGES);
  });
});
