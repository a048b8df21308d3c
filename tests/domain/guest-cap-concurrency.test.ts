// The guest cap, the per-address limits, one reply at a time, the sign-up claim and reply saves
// under real concurrency: many connections to the real PostgreSQL server at once (PGlite has one
// connection, so it cannot show a race).

import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import type { Actor, Conversation } from "@/lib/chat/types";
import { setConfigForTests } from "@/lib/config";
import type { DbPort } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { useDatabase } from "../support/database";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";
import {
  expectAppError,
  GUEST_LIMIT,
  ipOf,
  newAddress,
  newGuest,
  newUser,
  replyFails,
  saved,
} from "./scenarios";

/**
 * The scenarios' settings, except that one guest session may hold many conversations: posts to
 * one conversation wait for its reply now, so a burst spreads over conversations.
 */
const SETTINGS = {
  GUEST_MESSAGE_LIMIT: String(GUEST_LIMIT),
  GUEST_CONVERSATIONS_PER_SESSION: "100",
};

const CONNECTIONS = 50;

describeServer("guest cap and claims under concurrent connections (real server)", () => {
  let scratch: Awaited<ReturnType<typeof migratedServerDatabase>>;
  let pool: pg.Pool;
  let port: DbPort;
  let personaId = "";
  let connectionsOpened = 0;
  let restoreDatabase: () => void = () => {};
  const sql = async (text: string, params?: unknown[]) => (await pool.query(text, params)).rows;

  beforeAll(async () => {
    scratch = await migratedServerDatabase("race");
    ({ port, pool } = serverPort(scratch.url, CONNECTIONS));
    restoreDatabase = useDatabase(port);
    setConfigForTests(SETTINGS);
    pool.on("connect", () => {
      connectionsOpened += 1;
    });
    // Open all 50 connections up front, so that 50 calls issued together each get their own
    // connection at once instead of queueing behind connection set-up.
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.connect()));
    for (const client of clients) client.release();
    personaId = (await chat.listPersonas())[0]?.id ?? "";
  });

  afterAll(async () => {
    restoreDatabase();
    await port?.close();
    await scratch?.drop();
  });

  /** Settles all the calls, then sorts them into what succeeded and the AppError codes. */
  async function race<T>(calls: (() => Promise<T>)[]) {
    const settled = await Promise.allSettled(calls.map((call) => call()));
    const values: T[] = [];
    const codes: string[] = [];
    for (const outcome of settled) {
      if (outcome.status === "fulfilled") values.push(outcome.value);
      else {
        expect(outcome.reason).toBeInstanceOf(AppError);
        codes.push((outcome.reason as AppError).code);
      }
    }
    return { values, codes };
  }

  const post = (actor: Actor, conversation: Conversation, i: number) => () =>
    chat.postUserMessage(actor, conversation.id, `concurrent ${i}`, ipOf(actor));
  const start = (actor: Actor) => chat.startConversation(actor, personaId, ipOf(actor));
  const startMany = async (actor: Actor, n: number) => {
    const conversations: Conversation[] = [];
    for (let i = 0; i < n; i++) conversations.push(await start(actor));
    return conversations;
  };
  const idsOf = (conversations: Conversation[]) => conversations.map((c) => c.id);

  it("50 concurrent posts from one guest session save exactly 10 messages", async () => {
    const guest = newGuest();
    // One conversation each: a conversation takes one post at a time (its reply's lease).
    const conversations = await startMany(guest, CONNECTIONS);
    const { values, codes } = await race(
      conversations.map((conversation, i) => post(guest, conversation, i)),
    );
    // Each call had its own connection, and a refused call keeps its connection healthy in the
    // pool: nothing was closed or opened beyond the 50.
    expect(pool.totalCount).toBe(CONNECTIONS);
    expect(connectionsOpened).toBe(CONNECTIONS);
    expect(values).toHaveLength(GUEST_LIMIT);
    expect(codes).toEqual(Array(CONNECTIONS - GUEST_LIMIT).fill("guest_limit_reached"));
    // Each accepted post took its own slot: used = 1..10, no two alike.
    expect(values.map((v) => v.allowance?.used).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: GUEST_LIMIT }, (_, i) => i + 1),
    );
    expect(await saved(sql, idsOf(conversations))).toEqual({
      messages: GUEST_LIMIT,
      userMessages: GUEST_LIMIT,
      guestCount: GUEST_LIMIT,
    });
  });

  it("30 concurrent posts over 12 conversations of one guest save exactly 10", async () => {
    const guest = newGuest();
    const conversations = await startMany(guest, 12);
    const { values, codes } = await race(
      Array.from({ length: 30 }, (_, i) => post(guest, conversations[i % 12] as Conversation, i)),
    );
    expect(values).toHaveLength(GUEST_LIMIT);
    for (const code of codes) expect(["guest_limit_reached", "reply_in_progress"]).toContain(code);
    expect(codes).toContain("guest_limit_reached");
    // At most one post per conversation went through: the others waited for its reply.
    expect(new Set(values.map((v) => v.conversation.id)).size).toBe(GUEST_LIMIT);
    expect(await saved(sql, idsOf(conversations))).toEqual({
      messages: GUEST_LIMIT,
      userMessages: GUEST_LIMIT,
      guestCount: GUEST_LIMIT,
    });
    expect(await chat.getGuestAllowance(guest.sessionId)).toEqual({
      limit: GUEST_LIMIT,
      used: GUEST_LIMIT,
      remaining: 0,
    });
  });

  it("10 concurrent posts to one conversation: exactly 1 takes the reply's lease and is saved", async () => {
    for (const actor of [newGuest(), await newUser(sql)]) {
      const conversation = await start(actor);
      const { values, codes } = await race(
        Array.from({ length: 10 }, (_, i) => post(actor, conversation, i)),
      );
      expect(values).toHaveLength(1);
      expect(codes).toEqual(Array(9).fill("reply_in_progress"));
      expect(await saved(sql, [conversation.id])).toMatchObject({
        messages: 1,
        userMessages: 1,
        guestCount: actor.kind === "guest" ? 1 : 0,
      });
      // Only the one post counted against the daily limits.
      const [row] = await sql(
        "select count(*)::int as n from chat_private.usage_events where subject = $1 and kind = 'message'",
        [actor.kind === "guest" ? `ip:${ipOf(actor)}` : `user:${actor.userId}`],
      );
      expect(row?.n).toBe(1);
      // The one that went through answers, and the conversation takes posts again.
      const [winner] = values;
      if (!winner) throw new Error("no post went through");
      await chat.saveAssistantMessage(actor, conversation.id, "the answer", winner.userMessage.id, {
        leaseId: winner.lease.id,
      });
      await post(actor, conversation, 99)();
    }
  });

  it("10 concurrent retries of one failed reply: exactly 1 runs", async () => {
    const guest = newGuest();
    const conversation = await start(guest);
    await replyFails(guest, await post(guest, conversation, 0)());
    const { values, codes } = await race(
      Array.from(
        { length: 10 },
        () => () => chat.prepareRetry(guest, conversation.id, ipOf(guest)),
      ),
    );
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(9).fill("reply_in_progress"));
    const [row] = await sql(
      `select
         (select count(*)::int from chat_private.usage_events where subject = $1 and kind = 'retry') as retries,
         (select retry_count from public.messages where conversation_id = $2) as retry_count`,
      [`ip:${ipOf(guest)}`, conversation.id],
    );
    expect(row).toEqual({ retries: 1, retry_count: 1 });
  });

  it("25 new guests from one address at once: exactly 20 sessions start", async () => {
    const address = newAddress();
    const guests = Array.from({ length: 25 }, () => newGuest());
    const { values, codes } = await race(
      guests.map((guest) => () => chat.startConversation(guest, personaId, address)),
    );
    expect(values).toHaveLength(20);
    expect(codes).toEqual(Array(5).fill("rate_limited"));
    const [row] = await sql(
      `select
         (select count(*)::int from public.conversations where session_id = any($1)) as conversations,
         (select count(*)::int from chat_private.guest_sessions where session_id = any($1)) as sessions,
         (select count(*)::int from chat_private.usage_events where subject = $2) as counted`,
      [guests.map((g) => g.sessionId), `ip:${address}`],
    );
    expect(row).toEqual({ conversations: 20, sessions: 20, counted: 20 });
  });

  it("30 concurrent posts by 3 guests behind one address, 15 a day allowed there: exactly 15 saved", async () => {
    setConfigForTests({ ...SETTINGS, GUEST_MESSAGES_PER_IP_PER_DAY: "15" });
    try {
      const address = newAddress();
      const guests = [newGuest(), newGuest(), newGuest()];
      const conversations = new Map<string, Conversation[]>();
      for (const guest of guests) {
        const mine: Conversation[] = [];
        for (let i = 0; i < 10; i++)
          mine.push(await chat.startConversation(guest, personaId, address));
        conversations.set(guest.sessionId, mine);
      }
      const { values, codes } = await race(
        Array.from({ length: 30 }, (_, i) => {
          const guest = guests[i % 3] as (typeof guests)[number];
          const conversation = conversations.get(guest.sessionId)?.[
            Math.floor(i / 3)
          ] as Conversation;
          return () =>
            chat.postUserMessage(guest, conversation.id, `from the office ${i}`, address);
        }),
      );
      expect(values).toHaveLength(15);
      expect(codes).toEqual(Array(15).fill("rate_limited"));
      const all = [...conversations.values()].flat();
      expect(await saved(sql, idsOf(all))).toEqual({
        messages: 15,
        userMessages: 15,
        guestCount: 15,
      });
    } finally {
      setConfigForTests(SETTINGS);
    }
  });

  it("two concurrent claims of one guest session move each conversation once", async () => {
    for (let round = 0; round < 5; round++) {
      const guest = newGuest();
      const user = await newUser(sql);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await start(guest);
        await chat.postUserMessage(guest, c.id, `before sign-up ${i}`, ipOf(guest));
        ids.push(c.id);
      }
      const { values, codes } = await race([
        () => chat.claimGuestConversations(guest.sessionId, user.userId),
        () => chat.claimGuestConversations(guest.sessionId, user.userId),
      ]);
      expect(codes).toEqual([]);
      expect(values.reduce((sum, moved) => sum + moved, 0)).toBe(3);
      expect([...values].sort()).toEqual([0, 3]);
      const rows = await sql(
        "select count(*)::int as n from public.conversations where user_id = $1 and not is_guest_session",
        [user.userId],
      );
      expect(rows[0]?.n).toBe(3);
    }
  });

  it("a claim racing with posts never lets the guest total exceed the limit", async () => {
    for (let round = 0; round < 3; round++) {
      const guest = newGuest();
      const user = await newUser(sql);
      const a = await start(guest);
      const b = await start(guest);
      for (let i = 0; i < 4; i++) await replyFails(guest, await post(guest, a, i)());
      for (let i = 0; i < 3; i++) await replyFails(guest, await post(guest, b, i)());
      // 30 more conversations, one post each, so that only the cap and the claim refuse posts.
      const others = await startMany(guest, 28);
      const targets = [a, b, ...others];
      const claim = () => chat.claimGuestConversations(guest.sessionId, user.userId);
      const calls: (() => Promise<unknown>)[] = targets.map((c, i) => post(guest, c, 100 + i));
      calls.splice(10, 0, claim);
      const { values, codes } = await race(calls);

      // The claim itself always succeeds and moves all the conversations.
      expect(values).toContain(targets.length);
      // A post either counted before the move, or was refused: at the cap, or no longer the
      // guest's conversation.
      for (const code of codes) expect(["guest_limit_reached", "not_found"]).toContain(code);
      const after = await saved(sql, idsOf(targets));
      expect(after.guestCount).toBeLessThanOrEqual(GUEST_LIMIT);
      // Every user message in them was a counted guest post.
      expect(after.userMessages).toBe(after.guestCount);
      expect(after.guestCount - 7).toBe(values.length - 1);
      expect(await chat.listConversations(guest)).toEqual([]);
    }
  });

  it("two concurrent replies to one user message save exactly one", async () => {
    for (let round = 0; round < 5; round++) {
      const guest = newGuest();
      const conversation = await start(guest);
      const posted = await chat.postUserMessage(guest, conversation.id, "hello", ipOf(guest));
      const reply = (text: string) => () =>
        chat.saveAssistantMessage(guest, conversation.id, text, posted.userMessage.id, {
          leaseId: posted.lease.id,
        });
      const { values, codes } = await race([reply("A"), reply("B")]);
      expect(values).toHaveLength(1);
      expect(codes).toEqual(["nothing_to_retry"]);
      const rows = await sql(
        `select role, content from public.messages where conversation_id = $1
         order by created_at, id`,
        [conversation.id],
      );
      expect(rows).toEqual([
        { role: "user", content: "hello" },
        { role: "assistant", content: values[0]?.message.content },
      ]);
    }
  });

  it("a claim that fails part-way moves nothing", async () => {
    const guest = newGuest();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await start(guest);
      await chat.postUserMessage(guest, c.id, `mine ${i}`, ipOf(guest));
      ids.push(c.id);
    }
    const stillTheGuests = async () => {
      const rows = await sql(
        `select count(*)::int as n from public.conversations
         where session_id = $1 and is_guest_session and user_id is null`,
        [guest.sessionId],
      );
      expect(rows[0]?.n).toBe(3);
      expect((await chat.listConversations(guest)).map((c) => c.id).sort()).toEqual(
        [...ids].sort(),
      );
      expect((await chat.getGuestAllowance(guest.sessionId))?.used).toBe(3);
    };

    // A user id that is not in auth.users: the foreign key fails → nothing moves.
    await expectAppError(chat.claimGuestConversations(guest.sessionId, randomUUID()), "not_found");
    await stillTheGuests();

    // A failure after every row has been updated (an AFTER trigger on the last one) still
    // leaves all three where they were: the claim is one statement in one transaction.
    const user = await newUser(sql);
    const trigger = `fail_claim_${randomUUID().replace(/-/g, "")}`;
    await sql(`create function public.${trigger}() returns trigger language plpgsql as $$
      begin raise exception 'injected failure' using errcode = 'XX000'; end $$`);
    await sql(`create trigger ${trigger} after update on public.conversations for each row
      when (new.id = '${ids[2]}'::uuid and new.user_id is not null)
      execute function public.${trigger}()`);
    try {
      await expectAppError(chat.claimGuestConversations(guest.sessionId, user.userId), "internal");
    } finally {
      await sql(`drop trigger ${trigger} on public.conversations`);
      await sql(`drop function public.${trigger}()`);
    }
    await stillTheGuests();

    // With nothing in the way, the same claim moves all three.
    expect(await chat.claimGuestConversations(guest.sessionId, user.userId)).toBe(3);
  });
});
