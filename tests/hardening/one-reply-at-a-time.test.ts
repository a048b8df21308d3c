// Issue 9, findings 3 and 4, over HTTP on the real PostgreSQL server: concurrent posts through the
// real route handlers, each request with its own connection, while the reply of the one that got
// through is held in flight by a gated stand-in model (so no timing decides the outcome).
// - 10 concurrent posts to one conversation: exactly 1 is answered, 9 get 409 reply_in_progress,
//   1 message is saved and counted, the model is asked once.
// - 30 concurrent posts over 12 conversations of one guest: exactly 10 are saved (the guest
//   allowance), each refused one saved and cost nothing.
// - 10 concurrent retries of one failed reply: the engine runs once.

import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { type GatedModelServer, startGatedModelServer } from "../support/gated-model-server";
import {
  createConversation,
  getConversation,
  personaIds,
  postMessage,
  readChunks,
  retry,
  type ServerApp,
  startServerApp,
} from "../support/hardening-app";
import { CookieJar, codeOfResponse } from "../support/request-scope";
import { describeServer } from "../support/server";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

const CONNECTIONS = 30;

/** A fresh documentation-range address per browser, so the per-address limits stay out of it. */
const newIp = () => {
  const [a = 0, b = 0] = randomBytes(2);
  return `198.18.${a}.${b}`;
};

describeServer("one reply at a time, over HTTP (real server)", () => {
  let app: ServerApp;
  let model: GatedModelServer;
  let persona = "";

  beforeAll(async () => {
    app = await startServerApp("replies", {}, CONNECTIONS);
    persona = (await personaIds())[0] ?? "";
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    model = await startGatedModelServer();
    app.configure({
      AI_BASE_URL: model.baseURL,
      AI_MODEL: "gated-model",
      GUEST_CONVERSATIONS_PER_SESSION: "100",
    });
  });
  afterEach(async () => {
    await model.close();
  });

  async function startChat(jar: CookieJar, ip: string): Promise<string> {
    const response = await createConversation(jar, persona, ip);
    expect(response.status).toBe(201);
    return ((await response.json()) as { conversation: { id: string } }).conversation.id;
  }

  const counted = async (ip: string, kind: string) =>
    Number(
      (
        await app.sql(
          "select count(*)::int as n from chat_private.usage_events where subject = $1 and kind = $2",
          [`ip:${ip}`, kind],
        )
      )[0]?.n,
    );

  it("10 concurrent posts to one conversation: exactly 1 answered, 9 reply_in_progress, 1 message saved", async () => {
    const jar = new CookieJar();
    const ip = newIp();
    const id = await startChat(jar, ip);

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postMessage(jar, id, `question ${i}`, ip)),
    );
    const codes = await Promise.all(
      responses.map((r) => (r.status === 200 ? "ok" : codeOfResponse(r))),
    );
    console.log(`10 concurrent posts: ${JSON.stringify(countBy(codes))}`);
    expect(codes.filter((c) => c === "ok")).toHaveLength(1);
    expect(codes.filter((c) => c === "reply_in_progress")).toHaveLength(9);
    for (const r of responses.filter((r) => r.status !== 200)) expect(r.status).toBe(409);

    // The winner's reply is still in flight (held at the model's gate): one message is saved and
    // counted, the model was asked once, and the conversation is busy, not failed.
    await model.started(1);
    const during = await getConversation(jar, id);
    expect(during.body.conversation.status).toBe("active");
    expect(during.body.messages.map((m) => m.role)).toEqual(["user"]);
    expect(during.body.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });
    expect(await counted(ip, "message")).toBe(1);

    model.release();
    const winner = responses.find((r) => r.status === 200) as Response;
    const chunks = await readChunks(winner);
    type Metadata = {
      userMessage?: { content: string };
      assistantMessage?: { content: string };
    };
    const metadataOf = (i: number) => (chunks.at(i)?.messageMetadata ?? {}) as Metadata;
    expect(chunks.at(-1)?.type).toBe("finish");
    const answer = metadataOf(-1).assistantMessage?.content;
    expect(answer).toBe("Patience, friend: here is my answer.");

    const after = await getConversation(jar, id);
    expect(after.body.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", metadataOf(0).userMessage?.content],
      ["assistant", answer],
    ]);
    expect(after.body.allowance?.used).toBe(1);
    expect(model.requests()).toBe(1);
    // And with the reply saved, the conversation takes the next post.
    const next = await postMessage(jar, id, "and another", ip, { json: true });
    expect(next.status).toBe(200);
  });

  it("30 concurrent posts over 12 conversations of one guest: exactly 10 saved", async () => {
    const jar = new CookieJar();
    const ip = newIp();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await startChat(jar, ip));

    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postMessage(jar, ids[i % 12] as string, `post ${i}`, ip),
      ),
    );
    const codes = await Promise.all(
      responses.map((r) => (r.status === 200 ? "ok" : codeOfResponse(r))),
    );
    console.log(`30 concurrent posts over 12 conversations: ${JSON.stringify(countBy(codes))}`);
    expect(codes.filter((c) => c === "ok")).toHaveLength(10);
    for (const code of codes.filter((c) => c !== "ok")) {
      expect(["guest_limit_reached", "reply_in_progress"]).toContain(code);
    }
    expect(codes).toContain("guest_limit_reached");

    const [row] = await app.sql(
      `select count(*)::int as messages, count(distinct m.conversation_id)::int as conversations,
         (select coalesce(sum(guest_message_count), 0)::int from public.conversations
           where id = any($1::uuid[])) as guest_count
       from public.messages m where m.conversation_id = any($1::uuid[])`,
      [ids],
    );
    expect(row).toEqual({ messages: 10, conversations: 10, guest_count: 10 });
    expect(await counted(ip, "message")).toBe(10);

    // Only the 10 that were saved reach the model; each is answered once released.
    await model.started(10);
    model.release();
    const answered = await Promise.all(
      responses
        .filter((r) => r.status === 200)
        .map(async (r) => (await readChunks(r)).at(-1)?.type),
    );
    expect(answered).toEqual(Array(10).fill("finish"));
    expect(model.requests()).toBe(10);
    const [total] = await app.sql(
      "select count(*)::int as n from public.messages where conversation_id = any($1::uuid[])",
      [ids],
    );
    expect(total?.n).toBe(20);
    // The guest is at the cap now: the two conversations without a message take none.
    const refused = await postMessage(jar, ids[11] as string, "one more", ip);
    expect(await codeOfResponse(refused)).toBe("guest_limit_reached");
  });

  it("10 concurrent retries of one failed reply: the engine runs once, one retry is counted", async () => {
    // Built-in engine with fault injection: the first answer to "#fail-once" fails.
    app.configure({ REPLY_FAULT_INJECTION: "1", GUEST_CONVERSATIONS_PER_SESSION: "100" });
    const jar = new CookieJar();
    const ip = newIp();
    const id = await startChat(jar, ip);
    const failed = await postMessage(jar, id, "Hello #fail-once", ip, { json: true });
    expect(await codeOfResponse(failed)).toBe("reply_failed");
    expect((await getConversation(jar, id)).body.conversation.status).toBe("error");

    const retries = await Promise.all(Array.from({ length: 10 }, () => retry(jar, id, ip)));
    const codes = await Promise.all(retries.map(codeOfResponse));
    console.log(`10 concurrent retries: ${JSON.stringify(countBy(codes))}`);
    expect(codes.filter((c) => c === "ok")).toHaveLength(1);
    // The others came while it ran (409 reply_in_progress) or after it answered (409
    // nothing_to_retry); none of them ran the engine or was counted.
    for (const code of codes.filter((c) => c !== "ok")) {
      expect(["reply_in_progress", "nothing_to_retry"]).toContain(code);
    }
    expect(await counted(ip, "retry")).toBe(1);
    const detail = await getConversation(jar, id);
    expect(detail.body.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(detail.body.allowance?.used).toBe(1);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
