// The guest cap, the sign-up claim and reply saves under real concurrency: many connections to the real
// PostgreSQL server at once (PGlite has one connection, so it cannot show a race).

import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import type { Conversation } from "@/lib/chat/types";
import type { DbPort } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { useDatabase } from "../support/database";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";
import {
  expectAppError,
  GUEST_LIMIT,
  type GuestActor,
  newGuest,
  newUser,
  saved,
} from "./scenarios";

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

  const post = (guest: GuestActor, conversation: Conversation, i: number) => () =>
    chat.postUserMessage(guest, conversation.id, `concurrent ${i}`);

  it("50 concurrent posts from one guest session save exactly 10 messages", async () => {
    const guest = newGuest();
    const conversation = await chat.startConversation(guest, personaId);
    const { values, codes } = await race(
      Array.from({ length: CONNECTIONS }, (_, i) => post(guest, conversation, i)),
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
    expect(await saved(sql, [conversation.id])).toEqual({
      messages: GUEST_LIMIT,
      userMessages: GUEST_LIMIT,
      guestCount: GUEST_LIMIT,
    });
  });

  it("50 concurrent posts across two conversations of one session save 10 in total", async () => {
    const guest = newGuest();
    const a = await chat.startConversation(guest, personaId);
    const b = await chat.startConversation(guest, personaId);
    const { values, codes } = await race(
      Array.from({ length: CONNECTIONS }, (_, i) => post(guest, i % 2 ? a : b, i)),
    );
    expect(values).toHaveLength(GUEST_LIMIT);
    expect(codes).toEqual(Array(CONNECTIONS - GUEST_LIMIT).fill("guest_limit_reached"));
    expect(await saved(sql, [a.id, b.id])).toEqual({
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

  it("two concurrent claims of one guest session move each conversation once", async () => {
    for (let round = 0; round < 5; round++) {
      const guest = newGuest();
      const user = await newUser(sql);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await chat.startConversation(guest, personaId);
        await chat.postUserMessage(guest, c.id, `before sign-up ${i}`);
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
      const a = await chat.startConversation(guest, personaId);
      const b = await chat.startConversation(guest, personaId);
      for (let i = 0; i < 4; i++) await post(guest, a, i)();
      for (let i = 0; i < 3; i++) await post(guest, b, i)();
      const claim = () => chat.claimGuestConversations(guest.sessionId, user.userId);
      const calls: (() => Promise<unknown>)[] = Array.from({ length: 30 }, (_, i) =>
        post(guest, i % 2 ? a : b, 100 + i),
      );
      calls.splice(10, 0, claim);
      const { values, codes } = await race(calls);

      // The claim itself always succeeds and moves both conversations.
      expect(values).toContain(2);
      // A post either counted before the move, or was refused: at the cap, or no longer the
      // guest's conversation.
      for (const code of codes) expect(["guest_limit_reached", "not_found"]).toContain(code);
      const after = await saved(sql, [a.id, b.id]);
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
      const conversation = await chat.startConversation(guest, personaId);
      const posted = await chat.postUserMessage(guest, conversation.id, "hello");
      const reply = (text: string) => () =>
        chat.saveAssistantMessage(guest, conversation.id, text, posted.userMessage.id);
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
      const c = await chat.startConversation(guest, personaId);
      await chat.postUserMessage(guest, c.id, `mine ${i}`);
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
