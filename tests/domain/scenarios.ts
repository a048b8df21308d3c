// The domain's story (guest allowance, ownership, ended conversations, retries, sign-up claims),
// told through lib/chat/service.ts, so that every database and transport (PGlite, a real server,
// supabase-js over HTTP) is held to the same rules.

import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import type { Actor, Conversation } from "@/lib/chat/types";
import type { DbPort } from "@/lib/db/types";
import { AppError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { GUEST_LIMIT, useDatabase } from "../support/database";

type Row = Record<string, unknown>;

/**
 * What a scenario run needs: a port to test (the domain reaches it through setDbForTests, as the
 * app reaches its own through getDb), and the database behind it for setup and checks.
 */
export type DomainFixture = {
  port: DbPort;
  cleanup(): Promise<void>;
  /** SQL as the database owner, beside the API: creating users, counting what was saved. */
  sql(text: string, params?: unknown[]): Promise<Row[]>;
};

export { GUEST_LIMIT };

export type GuestActor = Extract<Actor, { kind: "guest" }>;
export type UserActor = Extract<Actor, { kind: "user" }>;

/** A fresh guest session: an unguessable id, like the cookie's (192 bits). */
export function newGuest(): GuestActor {
  return { kind: "guest", sessionId: randomBytes(24).toString("base64url") };
}

/** A signed-in user: a row in auth.users (the conversations' foreign key needs one). */
export async function newUser(sql: DomainFixture["sql"]): Promise<UserActor> {
  const userId = randomUUID();
  const email = `user-${userId.slice(0, 8)}@example.test`;
  await sql("insert into auth.users (id, email) values ($1, $2)", [userId, email]);
  return { kind: "user", userId, email };
}

/** Awaits a rejection and checks it is the project's error with that code and its HTTP status. */
export async function expectAppError(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<AppError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) {
    throw new Error(`expected AppError ${code}, got ${JSON.stringify(outcome.resolved)}`);
  }
  expect(outcome.error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const error = outcome.error as AppError;
  expect(error.code).toBe(code);
  expect(error.status).toBe(ERROR_STATUS[code]);
  return error;
}

/** What the database holds for these conversations: user messages, all messages, guest count. */
export async function saved(
  sql: DomainFixture["sql"],
  conversationIds: string[],
): Promise<{ messages: number; userMessages: number; guestCount: number }> {
  const ids = conversationIds.join(",");
  const [row] = await sql(
    `select
       (select count(*)::int from public.messages m
         where m.conversation_id = any(string_to_array($1, ',')::uuid[])) as messages,
       (select count(*)::int from public.messages m
         where m.conversation_id = any(string_to_array($1, ',')::uuid[]) and m.role = 'user') as user_messages,
       (select coalesce(sum(c.guest_message_count), 0)::int from public.conversations c
         where c.id = any(string_to_array($1, ',')::uuid[])) as guest_count`,
    [ids],
  );
  return {
    messages: Number(row?.messages),
    userMessages: Number(row?.user_messages),
    guestCount: Number(row?.guest_count),
  };
}

const allowance = (used: number) => ({
  limit: GUEST_LIMIT,
  used,
  remaining: GUEST_LIMIT - used,
});

export function defineDomainScenarios(label: string, makePort: () => Promise<DomainFixture>): void {
  describe(label, () => {
    let fx: DomainFixture;
    let personaIds: string[] = [];
    let inactivePersonaId = "";
    let restoreDatabase: () => void = () => {};
    // One database per run; every scenario uses its own guest sessions and users, so they
    // cannot see each other's data (which is itself part of what is tested).
    const start = (actor: Actor, personaId = personaIds[0] ?? "") =>
      chat.startConversation(actor, personaId);
    const post = (actor: Actor, conversation: Conversation, content: string) =>
      chat.postUserMessage(actor, conversation.id, content);

    beforeAll(async () => {
      fx = await makePort();
      restoreDatabase = useDatabase(fx.port);
      personaIds = (await chat.listPersonas()).map((p) => p.id);
      const [row] = await fx.sql(
        `insert into public.personas (slug, name, system_prompt, is_active, sort_order)
         values ($1, 'Retired Persona', 'You are retired.', false, 1) returning id`,
        [`retired-${randomBytes(4).toString("hex")}`],
      );
      inactivePersonaId = String(row?.id);
    });

    afterAll(async () => {
      restoreDatabase();
      await fx?.cleanup();
    });

    it("lists the four active personas in gallery order", async () => {
      const personas = await chat.listPersonas();
      expect(personas.map((p) => p.slug)).toEqual([
        "socrates",
        "captain-nova",
        "chef-remy",
        "zen-master-kai",
      ]);
      for (const p of personas) {
        expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(p.name).not.toBe("");
        expect(p.greeting).not.toBe("");
        expect(p.avatarUrl).toMatch(/^\/avatars\//);
      }
      expect(personas.map((p) => p.id)).not.toContain(inactivePersonaId);
    });

    it("a guest starts a conversation with a full allowance", async () => {
      const guest = newGuest();
      const conversation = await start(guest, personaIds[1]);
      expect(conversation).toMatchObject({
        personaId: personaIds[1],
        status: "active",
        isGuestSession: true,
        endedAt: null,
      });
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.conversation.id).toBe(conversation.id);
      expect(detail.persona?.slug).toBe("captain-nova");
      expect(detail.messages).toEqual([]);
      expect(detail.allowance).toEqual(allowance(0));
      expect(await chat.getGuestAllowance(guest.sessionId)).toEqual(allowance(0));
    });

    it("refuses unknown, inactive and malformed personas, and a missing session", async () => {
      const guest = newGuest();
      await expectAppError(start(guest, randomUUID()), "persona_not_found");
      await expectAppError(start(guest, inactivePersonaId), "persona_not_found");
      await expectAppError(start(guest, "not-a-uuid"), "invalid_input");
      await expectAppError(start({ kind: "guest", sessionId: "short" }), "invalid_session");
      expect(await chat.listConversations(guest)).toEqual([]);
    });

    it("treats any id that is not a UUID as invalid input", async () => {
      const guest = newGuest();
      await expectAppError(chat.getConversation(guest, "42"), "invalid_input");
      await expectAppError(chat.postUserMessage(guest, "x'; --", "hi"), "invalid_input");
      await expectAppError(chat.endConversation(guest, ""), "invalid_input");
    });

    it("each guest post counts down the allowance; the 11th is refused and saves nothing", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      for (let i = 1; i <= GUEST_LIMIT; i++) {
        const result = await post(guest, conversation, `message ${i}`);
        expect(result.allowance).toEqual(allowance(i));
        expect(result.userMessage).toMatchObject({ role: "user", content: `message ${i}` });
        // What the reply needs comes back in the same call: persona and history, newest last.
        expect(result.persona.systemPrompt).not.toBe("");
        expect(result.history.at(-1)).toEqual({ role: "user", content: `message ${i}` });
      }
      const error = await expectAppError(
        post(guest, conversation, "one too many"),
        "guest_limit_reached",
      );
      expect(error.status).toBe(429);
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: GUEST_LIMIT,
        userMessages: GUEST_LIMIT,
        guestCount: GUEST_LIMIT,
      });
      expect(await chat.getGuestAllowance(guest.sessionId)).toEqual(allowance(GUEST_LIMIT));
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.messages.map((m) => m.content)).not.toContain("one too many");
    });

    it("the limit holds summed across the conversations of one session", async () => {
      const guest = newGuest();
      const a = await start(guest, personaIds[0]);
      const b = await start(guest, personaIds[2]);
      for (let i = 0; i < 6; i++) await post(guest, a, `a${i}`);
      for (let i = 0; i < 4; i++) {
        const result = await post(guest, b, `b${i}`);
        expect(result.allowance).toEqual(allowance(7 + i));
      }
      await expectAppError(post(guest, a, "a-extra"), "guest_limit_reached");
      await expectAppError(post(guest, b, "b-extra"), "guest_limit_reached");
      // A new conversation does not bring a new allowance.
      const c = await start(guest, personaIds[3]);
      expect((await chat.getConversation(guest, c.id)).allowance).toEqual(allowance(10));
      await expectAppError(post(guest, c, "c-extra"), "guest_limit_reached");
      expect(await saved(fx.sql, [a.id, b.id, c.id])).toEqual({
        messages: 10,
        userMessages: 10,
        guestCount: 10,
      });
      // Another guest session is not affected.
      expect(await chat.getGuestAllowance(newGuest().sessionId)).toEqual(allowance(0));
    });

    it("a signed-in user has no cap and no allowance", async () => {
      const user = await newUser(fx.sql);
      const conversation = await start(user, personaIds[3]);
      expect(conversation.isGuestSession).toBe(false);
      for (let i = 1; i <= 15; i++) {
        const result = await post(user, conversation, `user message ${i}`);
        expect(result.allowance).toBeNull();
      }
      const detail = await chat.getConversation(user, conversation.id);
      expect(detail.allowance).toBeNull();
      expect(detail.messages).toHaveLength(15);
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: 15,
        userMessages: 15,
        guestCount: 0,
      });
      const [row] = await fx.sql(
        "select user_id, session_id, is_guest_session from public.conversations where id = $1",
        [conversation.id],
      );
      expect(row).toEqual({
        user_id: user.userId,
        session_id: user.userId,
        is_guest_session: false,
      });
    });

    it("an ended conversation is read-only, and ending it again changes nothing", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const before = await post(guest, conversation, "before the end");
      const ended = await chat.endConversation(guest, conversation.id);
      expect(ended.status).toBe("ended");
      expect(ended.endedAt).not.toBeNull();
      expect(Number.isNaN(Date.parse(ended.endedAt ?? ""))).toBe(false);

      const again = await chat.endConversation(guest, conversation.id);
      expect(again.status).toBe("ended");
      expect(again.endedAt).toBe(ended.endedAt);

      const error = await expectAppError(post(guest, conversation, "after"), "conversation_ended");
      expect(error.status).toBe(409);
      await expectAppError(chat.prepareRetry(guest, conversation.id), "conversation_ended");
      await expectAppError(
        chat.setConversationStatus(guest, conversation.id, "error"),
        "conversation_ended",
      );
      // A reply that arrives after the end is not saved either.
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "late reply", before.userMessage.id),
        "conversation_ended",
      );

      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.conversation.status).toBe("ended");
      expect(detail.conversation.endedAt).toBe(ended.endedAt);
      expect(detail.messages.map((m) => m.content)).toEqual(["before the end"]);
      expect(detail.allowance).toEqual(allowance(1));
    });

    it("somebody else's conversation reads as not found, for every operation", async () => {
      const owner = newGuest();
      const conversation = await start(owner);
      const mine = await post(owner, conversation, "mine");
      const intruders: Actor[] = [newGuest(), await newUser(fx.sql)];
      for (const intruder of intruders) {
        const id = conversation.id;
        await expectAppError(chat.getConversation(intruder, id), "not_found");
        await expectAppError(chat.postUserMessage(intruder, id, "hi"), "not_found");
        await expectAppError(chat.endConversation(intruder, id), "not_found");
        await expectAppError(chat.prepareRetry(intruder, id), "not_found");
        await expectAppError(
          chat.saveAssistantMessage(intruder, id, "x", mine.userMessage.id),
          "not_found",
        );
        await expectAppError(chat.setConversationStatus(intruder, id, "error"), "not_found");
        expect((await chat.listConversations(intruder)).map((c) => c.id)).not.toContain(id);
      }
      // A conversation that does not exist answers the same, so a probe learns nothing.
      await expectAppError(chat.getConversation(owner, randomUUID()), "not_found");
      // A user's conversation is not reachable from a guest session either.
      const user = await newUser(fx.sql);
      const users = await start(user);
      await expectAppError(chat.getConversation(owner, users.id), "not_found");
      await expectAppError(chat.postUserMessage(owner, users.id, "hi"), "not_found");

      const detail = await chat.getConversation(owner, conversation.id);
      expect(detail.conversation.status).toBe("active");
      expect(detail.messages.map((m) => m.content)).toEqual(["mine"]);
      expect(detail.allowance).toEqual(allowance(1));
    });

    it("content must be 1 to 4000 characters after trimming; a refused post saves nothing", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const refused = [
        "",
        "   ",
        " \n\t\r ",
        // Unicode spaces that JavaScript's trim() (and so the HTTP layer) removes too.
        "\u00a0\u2003\u3000\ufeff\u000b\u000c",
        "x".repeat(4001),
        ` ${"y".repeat(4001)} `,
      ];
      for (const content of refused) {
        const error = await expectAppError(post(guest, conversation, content), "invalid_content");
        expect(error.status).toBe(400);
      }
      // Postgres text cannot hold NUL: a 400 on every transport, never a 500.
      await expectAppError(post(guest, conversation, "a\u0000b"), "invalid_input");
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: 0,
        userMessages: 0,
        guestCount: 0,
      });

      const longest = await post(guest, conversation, "z".repeat(4000));
      expect(longest.userMessage.content).toHaveLength(4000);
      const padded = await post(guest, conversation, `  ${"w".repeat(4000)}\n`);
      expect(padded.userMessage.content).toBe("w".repeat(4000));
      const trimmed = await post(guest, conversation, "  hello there \n");
      expect(trimmed.userMessage.content).toBe("hello there");
      // Quotes, backslashes and non-BMP characters arrive unchanged.
      const tricky = 'it\'s a \\back\\slash "quote" $$ 😀 ünïcödé';
      expect((await post(guest, conversation, tricky)).userMessage.content).toBe(tricky);
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: 4,
        userMessages: 4,
        guestCount: 4,
      });
    });

    it("saving a reply sets an errored conversation back to active", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const hello = await post(guest, conversation, "hello?");
      const errored = await chat.setConversationStatus(guest, conversation.id, "error");
      expect(errored.status).toBe("error");
      expect((await chat.getConversation(guest, conversation.id)).conversation.status).toBe(
        "error",
      );
      await expectAppError(
        chat.setConversationStatus(guest, conversation.id, "ended" as "error"),
        "invalid_status",
      );

      const { message, conversation: after } = await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "Sorry for the wait. Hello!",
        hello.userMessage.id,
      );
      expect(message).toMatchObject({ role: "assistant", content: "Sorry for the wait. Hello!" });
      expect(after.status).toBe("active");
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.conversation.status).toBe("active");
      // Replies do not count against the allowance.
      expect(detail.allowance).toEqual(allowance(1));
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "", hello.userMessage.id),
        "invalid_content",
      );
    });

    it("a retry answers the last unanswered message again without counting it", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      await expectAppError(chat.prepareRetry(guest, conversation.id), "nothing_to_retry");

      const posted = await post(guest, conversation, "are you there?");
      for (let i = 0; i < 3; i++) {
        const retry = await chat.prepareRetry(guest, conversation.id);
        expect(retry.userMessage.id).toBe(posted.userMessage.id);
        expect(retry.userMessage.content).toBe("are you there?");
        expect(retry.allowance).toEqual(allowance(1));
        expect(retry.history.at(-1)).toEqual({ role: "user", content: "are you there?" });
        expect(retry.persona.systemPrompt).toBe(posted.persona.systemPrompt);
      }
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: 1,
        userMessages: 1,
        guestCount: 1,
      });

      await chat.saveAssistantMessage(guest, conversation.id, "I am here.", posted.userMessage.id);
      const error = await expectAppError(
        chat.prepareRetry(guest, conversation.id),
        "nothing_to_retry",
      );
      expect(error.status).toBe(409);

      // At the cap, the last message can still be retried: a retry is not a new message.
      for (let i = 2; i <= GUEST_LIMIT; i++) await post(guest, conversation, `more ${i}`);
      const atCap = await chat.prepareRetry(guest, conversation.id);
      expect(atCap.userMessage.content).toBe(`more ${GUEST_LIMIT}`);
      expect(atCap.allowance).toEqual(allowance(GUEST_LIMIT));
    });

    it("a reply to a message that is no longer the newest unanswered one is refused", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const q1 = await post(guest, conversation, "q1");
      // Not a message of this conversation at all, and no message id.
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "stray", randomUUID()),
        "nothing_to_retry",
      );
      // A newer user message arrived while the reply to q1 was streaming.
      const q2 = await post(guest, conversation, "q2");
      const error = await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "answer to q1", q1.userMessage.id),
        "nothing_to_retry",
      );
      expect(error.status).toBe(409);
      expect(await saved(fx.sql, [conversation.id])).toMatchObject({ messages: 2 });

      // q2 is answered once; a second reply to it (a concurrent retry) is refused.
      await chat.saveAssistantMessage(guest, conversation.id, "answer to q2", q2.userMessage.id);
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "again", q2.userMessage.id),
        "nothing_to_retry",
      );
      // An assistant message is never something to reply to either.
      const [last] = await fx.sql(
        `select id from public.messages where conversation_id = $1 and role = 'assistant'`,
        [conversation.id],
      );
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "echo", String(last?.id)),
        "nothing_to_retry",
      );

      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.messages.map((m) => `${m.role}:${m.content}`)).toEqual([
        "user:q1",
        "user:q2",
        "assistant:answer to q2",
      ]);
      expect(detail.conversation.status).toBe("active");
      expect(detail.allowance).toEqual(allowance(2));
    });

    it("lists the caller's conversations newest first, with a last-message preview", async () => {
      const guest = newGuest();
      const a = await start(guest, personaIds[0]);
      const b = await start(guest, personaIds[1]);
      const c = await start(guest, personaIds[2]);
      const other = newGuest();
      await start(other);
      expect((await chat.listConversations(guest)).map((x) => x.id)).toEqual([c.id, b.id, a.id]);

      const long = `${"long ".repeat(60)}end`;
      await post(guest, a, long);
      const question = await post(guest, b, "question for b");
      await chat.saveAssistantMessage(guest, b.id, "answer from b", question.userMessage.id);

      const list = await chat.listConversations(guest);
      expect(list.map((x) => x.id)).toEqual([b.id, a.id, c.id]);
      const [first, second, third] = list;
      expect(first?.lastMessage).toMatchObject({ role: "assistant", content: "answer from b" });
      expect(first?.messageCount).toBe(2);
      expect(first?.persona?.slug).toBe("captain-nova");
      expect(second?.lastMessage?.role).toBe("user");
      expect(second?.lastMessage?.content).toBe(long.slice(0, 160));
      expect(second?.messageCount).toBe(1);
      expect(third?.lastMessage).toBeNull();
      expect(third?.messageCount).toBe(0);
      expect(list.every((x) => x.isGuestSession && x.status === "active")).toBe(true);
    });

    it("gets a conversation with its messages oldest first", async () => {
      const user = await newUser(fx.sql);
      const conversation = await start(user, personaIds[2]);
      const expected: { role: string; content: string }[] = [];
      for (let i = 1; i <= 3; i++) {
        const question = await post(user, conversation, `question ${i}`);
        await chat.saveAssistantMessage(
          user,
          conversation.id,
          `answer ${i}`,
          question.userMessage.id,
        );
        expected.push({ role: "user", content: `question ${i}` });
        expected.push({ role: "assistant", content: `answer ${i}` });
      }
      const detail = await chat.getConversation(user, conversation.id);
      expect(detail.messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(expected);
      const times = detail.messages.map((m) => Date.parse(m.createdAt));
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      expect(detail.persona?.slug).toBe("chef-remy");
      // The history a post sends to the reply engine has the same order.
      const next = await post(user, conversation, "question 4");
      expect(next.history).toEqual([...expected, { role: "user", content: "question 4" }]);
    });

    it("keeps messages and conversations in order even when the clock does not move on", async () => {
      // PGlite's clock ticks in milliseconds and now() is a transaction's start: a question and
      // its reply can get the same stamp, or a later step an earlier one. Simulated here by
      // stamping the latest message and conversation a minute ahead.
      const guest = newGuest();
      const older = await start(guest);
      const conversation = await start(guest);
      const first = await post(guest, conversation, "first");
      await fx.sql(
        "update public.messages set created_at = now() + interval '1 minute' where conversation_id = $1",
        [conversation.id],
      );
      await fx.sql(
        "update public.conversations set updated_at = now() + interval '1 minute' where id = $1",
        [conversation.id],
      );
      await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "reply to first",
        first.userMessage.id,
      );
      const second = await post(guest, conversation, "second");
      expect(second.history.map((h) => h.content)).toEqual(["first", "reply to first", "second"]);
      const retry = await chat.prepareRetry(guest, conversation.id);
      expect(retry.userMessage.id).toBe(second.userMessage.id);
      await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "reply to second",
        second.userMessage.id,
      );
      await expectAppError(chat.prepareRetry(guest, conversation.id), "nothing_to_retry");
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.messages.map((m) => m.content)).toEqual([
        "first",
        "reply to first",
        "second",
        "reply to second",
      ]);
      // A post in the older conversation moves it to the top of the list.
      await post(guest, older, "back to the older one");
      expect((await chat.listConversations(guest)).map((x) => x.id)).toEqual([
        older.id,
        conversation.id,
      ]);
    });

    it("signing up moves a guest session's conversations to the user, once", async () => {
      const guest = newGuest();
      const bystander = newGuest();
      const user = await newUser(fx.sql);
      const a = await start(guest, personaIds[0]);
      const b = await start(guest, personaIds[1]);
      for (let i = 0; i < 6; i++) await post(guest, a, `a${i}`);
      for (let i = 0; i < 4; i++) await post(guest, b, `b${i}`);
      await expectAppError(post(guest, b, "capped"), "guest_limit_reached");
      const theirs = await start(bystander);
      await post(bystander, theirs, "not yours");
      const own = await start(user);

      expect(await chat.claimGuestConversations(guest.sessionId, user.userId)).toBe(2);

      // The guest session has nothing left.
      expect(await chat.listConversations(guest)).toEqual([]);
      await expectAppError(chat.getConversation(guest, a.id), "not_found");
      await expectAppError(post(guest, a, "still me?"), "not_found");

      // The user has them, and no cap in them.
      const mine = await chat.listConversations(user);
      expect(new Set(mine.map((x) => x.id))).toEqual(new Set([a.id, b.id, own.id]));
      expect(mine.every((x) => !x.isGuestSession)).toBe(true);
      const detail = await chat.getConversation(user, a.id);
      expect(detail.messages.map((m) => m.content)).toEqual(["a0", "a1", "a2", "a3", "a4", "a5"]);
      expect(detail.allowance).toBeNull();
      for (let i = 0; i < 12; i++) {
        expect((await post(user, b, `after sign-up ${i}`)).allowance).toBeNull();
      }
      const rows = await fx.sql(
        `select user_id, session_id, is_guest_session from public.conversations
         where id = any(string_to_array($1, ',')::uuid[])`,
        [[a.id, b.id].join(",")],
      );
      expect(rows).toEqual([
        { user_id: user.userId, session_id: user.userId, is_guest_session: false },
        { user_id: user.userId, session_id: user.userId, is_guest_session: false },
      ]);

      // Idempotent, and nobody else's conversations move.
      expect(await chat.claimGuestConversations(guest.sessionId, user.userId)).toBe(0);
      const someoneElse = await newUser(fx.sql);
      expect(await chat.claimGuestConversations(guest.sessionId, someoneElse.userId)).toBe(0);
      expect(await chat.listConversations(someoneElse)).toEqual([]);
      expect((await chat.listConversations(bystander)).map((x) => x.id)).toEqual([theirs.id]);
      expect(await chat.getGuestAllowance(bystander.sessionId)).toEqual(allowance(1));
      expect((await chat.getConversation(bystander, theirs.id)).messages).toHaveLength(1);
      // An empty session id claims nothing.
      expect(await chat.claimGuestConversations("", user.userId)).toBe(0);
    });
  });
}
