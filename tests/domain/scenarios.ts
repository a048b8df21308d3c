// The domain's story (guest allowance, ownership, ended conversations, retries, sign-up claims,
// the per-address and per-account limits, one reply at a time, pages, titles, stopped replies,
// regenerate, deleting), told through lib/chat/service.ts, so that every database and transport
// (PGlite, a real server, supabase-js over HTTP) is held to the same rules.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import type { Actor, Conversation, ConversationDetail, ReplyContext } from "@/lib/chat/types";
import { setConfigForTests } from "@/lib/config";
import type { DbPort } from "@/lib/db/types";
import { AppError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import type { AudioRecordArgs } from "@/lib/voice/types";
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

/**
 * The client address each actor's requests come from in the scenarios: one of its own (derived
 * from its id), so that the per-address limits count only what a scenario means them to.
 */
export function ipOf(actor: Actor): string {
  const id = actor.kind === "guest" ? actor.sessionId : actor.userId;
  const [a = 0, b = 0, c = 0] = createHash("sha256").update(id).digest();
  return `10.${a}.${b}.${c}`;
}

/** A random private address, for the guests a scenario puts behind one network. */
export function newAddress(): string {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `172.${16 + (a % 16)}.${b}.${1 + (c % 254)}`;
}

/**
 * Ends the reply a post or retry started without an answer, as a failed reply does: the
 * conversation is marked `error` and the reply's lease released, so the next post may follow.
 */
export function replyFails(actor: Actor, context: ReplyContext): Promise<Conversation> {
  return chat.setConversationStatus(actor, context.conversation.id, "error", context.lease.id);
}

/** Runs `work` with these settings on top of the scenarios' own, then puts those back. */
export async function withSettings<T>(
  env: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  setConfigForTests({ GUEST_MESSAGE_LIMIT: String(GUEST_LIMIT), ...env });
  try {
    return await work();
  } finally {
    setConfigForTests({ GUEST_MESSAGE_LIMIT: String(GUEST_LIMIT) });
  }
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

/** A few bytes standing for a recording (the database checks the size, not the sound). */
export const AUDIO = {
  contentType: "audio/wav",
  byteSize: 4,
  durationMs: 1000,
  dataBase64: Buffer.from("RIFF").toString("base64"),
  storagePath: null,
} as const satisfies AudioRecordArgs;

export function defineDomainScenarios(label: string, makePort: () => Promise<DomainFixture>): void {
  describe(label, () => {
    let fx: DomainFixture;
    let personaIds: string[] = [];
    let inactivePersonaId = "";
    let restoreDatabase: () => void = () => {};
    // One database per run; every scenario uses its own guest sessions and users, so they
    // cannot see each other's data (which is itself part of what is tested).
    const start = (actor: Actor, personaId = personaIds[0] ?? "") =>
      chat.startConversation(actor, personaId, ipOf(actor));
    const post = (actor: Actor, conversation: Conversation, content: string) =>
      chat.postUserMessage(actor, conversation.id, content, ipOf(actor));
    /** A post whose reply then fails (lease released), so that another post may follow it. */
    const postUnanswered = async (actor: Actor, conversation: Conversation, content: string) => {
      const context = await post(actor, conversation, content);
      await replyFails(actor, context);
      return context;
    };
    /** A post and its reply, saved with the post's lease. */
    const exchange = async (
      actor: Actor,
      conversation: Conversation,
      question: string,
      answer: string,
    ) => {
      const context = await post(actor, conversation, question);
      const reply = await chat.saveAssistantMessage(
        actor,
        conversation.id,
        answer,
        context.userMessage.id,
        { leaseId: context.lease.id },
      );
      return { context, reply };
    };
    const retry = (actor: Actor, conversation: Conversation) =>
      chat.prepareRetry(actor, conversation.id, ipOf(actor));
    const regenerate = (actor: Actor, conversation: Conversation) =>
      chat.prepareRegenerate(actor, conversation.id, ipOf(actor));

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
        const result = await postUnanswered(guest, conversation, `message ${i}`);
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
      for (let i = 0; i < 6; i++) await postUnanswered(guest, a, `a${i}`);
      for (let i = 0; i < 4; i++) {
        const result = await postUnanswered(guest, b, `b${i}`);
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
        const result = await postUnanswered(user, conversation, `user message ${i}`);
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
      await expectAppError(retry(guest, conversation), "conversation_ended");
      await expectAppError(
        chat.setConversationStatus(guest, conversation.id, "error", before.lease.id),
        "conversation_ended",
      );
      // A reply that arrives after the end is not saved either.
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "late reply", before.userMessage.id, {
          leaseId: before.lease.id,
        }),
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
        await expectAppError(chat.prepareRegenerate(intruder, id), "not_found");
        await expectAppError(
          chat.saveAssistantMessage(intruder, id, "x", mine.userMessage.id, {
            leaseId: mine.lease.id,
          }),
          "not_found",
        );
        await expectAppError(
          chat.setConversationStatus(intruder, id, "error", mine.lease.id),
          "not_found",
        );
        await expectAppError(chat.renameConversation(intruder, id, "Mine now"), "not_found");
        await expectAppError(chat.deleteConversation(intruder, id), "not_found");
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

      const longest = await postUnanswered(guest, conversation, "z".repeat(4000));
      expect(longest.userMessage.content).toHaveLength(4000);
      const padded = await postUnanswered(guest, conversation, `  ${"w".repeat(4000)}\n`);
      expect(padded.userMessage.content).toBe("w".repeat(4000));
      const trimmed = await postUnanswered(guest, conversation, "  hello there \n");
      expect(trimmed.userMessage.content).toBe("hello there");
      // Quotes, backslashes and non-BMP characters arrive unchanged.
      const tricky = 'it\'s a \\back\\slash "quote" $$ 😀 ünïcödé';
      expect((await postUnanswered(guest, conversation, tricky)).userMessage.content).toBe(tricky);
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
      const errored = await chat.setConversationStatus(
        guest,
        conversation.id,
        "error",
        hello.lease.id,
      );
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

      const posted = await postUnanswered(guest, conversation, "are you there?");
      let last: ReplyContext = posted;
      for (let i = 0; i < 3; i++) {
        const again = await retry(guest, conversation);
        expect(again.userMessage.id).toBe(posted.userMessage.id);
        expect(again.userMessage.content).toBe("are you there?");
        expect(again.allowance).toEqual(allowance(1));
        expect(again.history.at(-1)).toEqual({ role: "user", content: "are you there?" });
        expect(again.persona.systemPrompt).toBe(posted.persona.systemPrompt);
        expect(again.replaced).toBeNull();
        if (i < 2) await replyFails(guest, again);
        last = again;
      }
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: 1,
        userMessages: 1,
        guestCount: 1,
      });

      await chat.saveAssistantMessage(guest, conversation.id, "I am here.", posted.userMessage.id, {
        leaseId: last.lease.id,
      });
      const error = await expectAppError(retry(guest, conversation), "nothing_to_retry");
      expect(error.status).toBe(409);

      // At the cap, the last message can still be retried: a retry is not a new message.
      for (let i = 2; i <= GUEST_LIMIT; i++) await postUnanswered(guest, conversation, `more ${i}`);
      const atCap = await retry(guest, conversation);
      expect(atCap.userMessage.content).toBe(`more ${GUEST_LIMIT}`);
      expect(atCap.allowance).toEqual(allowance(GUEST_LIMIT));
    });

    it("a reply to a message that is no longer the newest unanswered one is refused", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const q1 = await post(guest, conversation, "q1");
      // Not a message of this conversation at all, and no message id.
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "stray", randomUUID(), {
          leaseId: q1.lease.id,
        }),
        "nothing_to_retry",
      );
      // The reply to q1 failed, a newer user message arrived, and then a late reply to q1.
      await replyFails(guest, q1);
      const q2 = await post(guest, conversation, "q2");
      const error = await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "answer to q1", q1.userMessage.id, {
          leaseId: q1.lease.id,
        }),
        "nothing_to_retry",
      );
      expect(error.status).toBe(409);
      expect(await saved(fx.sql, [conversation.id])).toMatchObject({ messages: 2 });

      // q2 is answered once; a second reply to it (a concurrent retry) is refused.
      await chat.saveAssistantMessage(guest, conversation.id, "answer to q2", q2.userMessage.id, {
        leaseId: q2.lease.id,
      });
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "again", q2.userMessage.id, {
          leaseId: q2.lease.id,
        }),
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
      await chat.saveAssistantMessage(guest, b.id, "answer from b", question.userMessage.id, {
        leaseId: question.lease.id,
      });

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
        await exchange(user, conversation, `question ${i}`, `answer ${i}`);
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
        { leaseId: first.lease.id },
      );
      const second = await postUnanswered(guest, conversation, "second");
      expect(second.history.map((h) => h.content)).toEqual(["first", "reply to first", "second"]);
      const again = await retry(guest, conversation);
      expect(again.userMessage.id).toBe(second.userMessage.id);
      await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "reply to second",
        second.userMessage.id,
        { leaseId: again.lease.id },
      );
      await expectAppError(retry(guest, conversation), "nothing_to_retry");
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
      for (let i = 0; i < 6; i++) await postUnanswered(guest, a, `a${i}`);
      for (let i = 0; i < 4; i++) await postUnanswered(guest, b, `b${i}`);
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
        expect((await postUnanswered(user, b, `after sign-up ${i}`)).allowance).toBeNull();
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

    // Limits per client address and per account ------------------------------------------------

    it("counts new guest sessions per address: past 20 in an hour, rate_limited with when to come back", async () => {
      const address = newAddress();
      const first = newGuest();
      await chat.startConversation(first, personaIds[0] ?? "", address);
      // The same session's next conversation is not a new session.
      await chat.startConversation(first, personaIds[1] ?? "", address);
      for (let i = 1; i < 20; i++) {
        await chat.startConversation(newGuest(), personaIds[0] ?? "", address);
      }
      const late = newGuest();
      const error = await expectAppError(
        chat.startConversation(late, personaIds[0] ?? "", address),
        "rate_limited",
      );
      expect(error.status).toBe(429);
      expect(error.message).toMatch(
        /^Too many new guest sessions have started from your network\. Try again in (59|60) minutes, or sign up to keep chatting\.$/,
      );
      const wait = Number(error.details?.retryAfterSeconds);
      expect(wait).toBeGreaterThan(3500);
      expect(wait).toBeLessThanOrEqual(3600);
      // Nothing was saved or counted for the refused one.
      expect(await chat.listConversations(late)).toEqual([]);
      const [row] = await fx.sql(
        `select count(*)::int as n from chat_private.usage_events
         where subject = $1 and kind = 'session'`,
        [`ip:${address}`],
      );
      expect(row?.n).toBe(20);
      // Sessions that have started go on; another address is not affected.
      await chat.startConversation(first, personaIds[2] ?? "", address);
      await chat.startConversation(late, personaIds[0] ?? "", newAddress());
      expect(await chat.listConversations(late)).toHaveLength(1);
    });

    it("a guest session holds GUEST_CONVERSATIONS_PER_SESSION conversations, deleted ones included", async () => {
      await withSettings({ GUEST_CONVERSATIONS_PER_SESSION: "3" }, async () => {
        const guest = newGuest();
        const first = await start(guest);
        await start(guest);
        await start(guest);
        const error = await expectAppError(start(guest), "rate_limited");
        expect(error.message).toBe("A guest can start 3 conversations. Sign up to start more.");
        // Waiting does not help here, so there is no time to come back.
        expect(error.details).toBeUndefined();
        await chat.deleteConversation(guest, first.id);
        await expectAppError(start(guest), "rate_limited");
        expect(await chat.listConversations(guest)).toHaveLength(2);
        // Signed-in users have no such cap.
        const user = await newUser(fx.sql);
        for (let i = 0; i < 4; i++) await start(user);
        expect(await chat.listConversations(user)).toHaveLength(4);
      });
    });

    it("counts guest messages per address per day, voice and retries included; past it nothing is saved", async () => {
      await withSettings({ GUEST_MESSAGES_PER_IP_PER_DAY: "6" }, async () => {
        const address = newAddress();
        const [one, two] = [newGuest(), newGuest()];
        const a = await chat.startConversation(one, personaIds[0] ?? "", address);
        const b = await chat.startConversation(two, personaIds[0] ?? "", address);
        const first = await chat.postUserMessage(one, a.id, "one", address);
        await replyFails(one, first);
        await replyFails(one, await chat.prepareRetry(one, a.id, address));
        await replyFails(two, await chat.postVoiceMessage(two, b.id, "spoken", AUDIO, address));
        for (let i = 0; i < 3; i++) {
          await replyFails(two, await chat.postUserMessage(two, b.id, `typed ${i}`, address));
        }
        const error = await expectAppError(
          chat.postUserMessage(one, a.id, "seven", address),
          "rate_limited",
        );
        expect(error.message).toMatch(
          /^Your network has sent as many guest messages as a day allows\. Try again in 2[34] hours, or sign up to keep chatting\.$/,
        );
        expect(Number(error.details?.retryAfterSeconds)).toBeGreaterThan(86_000);
        await expectAppError(chat.prepareRetry(one, a.id, address), "rate_limited");
        await expectAppError(
          chat.postVoiceMessage(one, a.id, "spoken", AUDIO, address),
          "rate_limited",
        );
        // The refused ones saved and counted nothing.
        expect(await saved(fx.sql, [a.id])).toEqual({
          messages: 1,
          userMessages: 1,
          guestCount: 1,
        });
        expect(await chat.getGuestAllowance(one.sessionId)).toEqual(allowance(1));
        // Another address is not affected.
        const elsewhere = newGuest();
        const c = await chat.startConversation(elsewhere, personaIds[0] ?? "", newAddress());
        await chat.postUserMessage(elsewhere, c.id, "hello from elsewhere", newAddress());
      });
    });

    it("a signed-in user has a daily limit of their own, retries included", async () => {
      await withSettings({ USER_MESSAGES_PER_DAY: "3" }, async () => {
        const user = await newUser(fx.sql);
        const conversation = await start(user);
        for (let i = 0; i < 3; i++) await postUnanswered(user, conversation, `message ${i}`);
        const error = await expectAppError(post(user, conversation, "fourth"), "rate_limited");
        expect(error.message).toMatch(
          /^You have sent as many messages as a day allows\. Try again in 2[34] hours\.$/,
        );
        await expectAppError(retry(user, conversation), "rate_limited");
        expect(await saved(fx.sql, [conversation.id])).toMatchObject({ userMessages: 3 });
        const other = await newUser(fx.sql);
        await post(other, await start(other), "a fresh account");
      });
    });

    // One reply at a time ------------------------------------------------------------------------

    it("one reply at a time: a post, voice message or retry meanwhile is refused and costs nothing", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const first = await post(guest, conversation, "first");
      expect(first.lease.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(first.lease.expiresAt)).toBeGreaterThan(Date.now() + 20_000);
      const error = await expectAppError(post(guest, conversation, "second"), "reply_in_progress");
      expect(error.status).toBe(409);
      await expectAppError(
        chat.postVoiceMessage(guest, conversation.id, "spoken", AUDIO, ipOf(guest)),
        "reply_in_progress",
      );
      await expectAppError(retry(guest, conversation), "reply_in_progress");
      await expectAppError(regenerate(guest, conversation), "reply_in_progress");
      expect(await saved(fx.sql, [conversation.id])).toEqual({
        messages: 1,
        userMessages: 1,
        guestCount: 1,
      });
      expect(await chat.getGuestAllowance(guest.sessionId)).toEqual(allowance(1));
      const [row] = await fx.sql(
        "select count(*)::int as n from chat_private.usage_events where subject = $1",
        [`ip:${ipOf(guest)}`],
      );
      expect(row?.n).toBe(2); // the session and the first post
      // The guest's other conversations are not held up.
      const other = await start(guest);
      await post(guest, other, "elsewhere");

      // Only the holder saves the reply or marks it failed, and so releases the lease.
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "impostor", first.userMessage.id, {
          leaseId: randomUUID(),
        }),
        "nothing_to_retry",
      );
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "no lease", first.userMessage.id),
        "nothing_to_retry",
      );
      await expectAppError(
        chat.setConversationStatus(guest, conversation.id, "error", randomUUID()),
        "reply_in_progress",
      );
      await expectAppError(
        chat.setConversationStatus(guest, conversation.id, "error"),
        "reply_in_progress",
      );
      expect((await chat.getConversation(guest, conversation.id)).conversation.status).toBe(
        "active",
      );
      const answered = await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "answer",
        first.userMessage.id,
        { leaseId: first.lease.id },
      );
      expect(answered.conversation.status).toBe("active");
      expect(answered.message.stopped).toBe(false);
      await post(guest, conversation, "second");
    });

    it("a reply whose lease ran out (the server died mid-reply) reads as error, and Retry answers it", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const posted = await post(guest, conversation, "hello?");
      expect((await chat.getConversation(guest, conversation.id)).conversation.status).toBe(
        "active",
      );
      await fx.sql(
        "update public.conversations set reply_lease_until = now() - interval '1 second' where id = $1",
        [conversation.id],
      );
      expect((await chat.getConversation(guest, conversation.id)).conversation.status).toBe(
        "error",
      );
      const [listed] = await chat.listConversations(guest);
      expect(listed?.status).toBe("error");

      const again = await retry(guest, conversation);
      expect(again.userMessage.id).toBe(posted.userMessage.id);
      expect(again.lease.id).not.toBe(posted.lease.id);
      expect(again.conversation.status).toBe("active");
      // The dead reply's save, if it ever arrives, does not overtake the retry.
      await expectAppError(
        chat.saveAssistantMessage(guest, conversation.id, "late", posted.userMessage.id, {
          leaseId: posted.lease.id,
        }),
        "nothing_to_retry",
      );
      await chat.saveAssistantMessage(guest, conversation.id, "Here I am.", posted.userMessage.id, {
        leaseId: again.lease.id,
      });
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.conversation.status).toBe("active");
      expect(detail.messages.map((m) => m.content)).toEqual(["hello?", "Here I am."]);
      expect(detail.allowance).toEqual(allowance(1));
    });

    it("a message's reply may be retried RETRIES_PER_MESSAGE times; then retry_limit_reached", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      await postUnanswered(guest, conversation, "flaky");
      for (let i = 0; i < 3; i++) await replyFails(guest, await retry(guest, conversation));
      const error = await expectAppError(retry(guest, conversation), "retry_limit_reached");
      expect(error.status).toBe(409);
      expect(error.message).toBe(
        "That message has been answered again as often as allowed. Send a new message instead.",
      );
      const [row] = await fx.sql(
        "select count(*)::int as n from chat_private.usage_events where subject = $1 and kind = 'retry'",
        [`ip:${ipOf(guest)}`],
      );
      expect(row?.n).toBe(3);
      // A new message has a budget of its own.
      await postUnanswered(guest, conversation, "try again");
      await replyFails(guest, await retry(guest, conversation));
      expect(await chat.getGuestAllowance(guest.sessionId)).toEqual(allowance(2));
      await withSettings({ RETRIES_PER_MESSAGE: "0" }, async () => {
        await expectAppError(retry(guest, conversation), "retry_limit_reached");
      });
    });

    it("regenerate replaces the newest reply, shares the retry budget and never uses the allowance", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const { context: question, reply } = await exchange(
        guest,
        conversation,
        "tell me a story",
        "Once upon a time.",
      );
      await expectAppError(retry(guest, conversation), "nothing_to_retry");

      const first = await regenerate(guest, conversation);
      expect(first.userMessage.id).toBe(question.userMessage.id);
      expect(first.replaced).toEqual({ messageId: reply.message.id, storagePaths: [] });
      expect(first.history).toEqual([{ role: "user", content: "tell me a story" }]);
      expect(first.allowance).toEqual(allowance(1));
      // The old reply is gone while the new one is written, and nothing else can start.
      expect(
        (await chat.getConversation(guest, conversation.id)).messages.map((m) => m.content),
      ).toEqual(["tell me a story"]);
      await expectAppError(regenerate(guest, conversation), "reply_in_progress");
      await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "A new story.",
        question.userMessage.id,
        { leaseId: first.lease.id },
      );
      // A regeneration that fails leaves the message unanswered: Retry answers it, same budget.
      await replyFails(guest, await regenerate(guest, conversation));
      expect((await chat.getConversation(guest, conversation.id)).conversation.status).toBe(
        "error",
      );
      const third = await retry(guest, conversation);
      await chat.saveAssistantMessage(guest, conversation.id, "The end.", question.userMessage.id, {
        leaseId: third.lease.id,
      });
      await expectAppError(regenerate(guest, conversation), "retry_limit_reached");
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.messages.map((m) => m.content)).toEqual(["tell me a story", "The end."]);
      expect(detail.allowance).toEqual(allowance(1));

      // Nothing to regenerate: no reply yet, or the newest message is the caller's.
      const fresh = await start(guest);
      await expectAppError(regenerate(guest, fresh), "nothing_to_retry");
      await postUnanswered(guest, fresh, "unanswered");
      await expectAppError(regenerate(guest, fresh), "nothing_to_retry");
    });

    it("a stopped reply is kept as it was and marked stopped: not an error, no extra cost", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const question = await post(guest, conversation, "explain everything");
      const stopped = await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "Well, first",
        question.userMessage.id,
        { leaseId: question.lease.id, stopped: true },
      );
      expect(stopped.message).toMatchObject({
        role: "assistant",
        content: "Well, first",
        stopped: true,
      });
      expect(stopped.conversation.status).toBe("active");
      const detail = await chat.getConversation(guest, conversation.id);
      expect(detail.messages.map((m) => [m.content, m.stopped])).toEqual([
        ["explain everything", false],
        ["Well, first", true],
      ]);
      expect(detail.conversation.status).toBe("active");
      expect(detail.allowance).toEqual(allowance(1));
      // The next message carries the stopped reply in its history.
      const next = await post(guest, conversation, "go on");
      expect(next.history.map((h) => h.content)).toEqual([
        "explain everything",
        "Well, first",
        "go on",
      ]);
      // Stopped before its first word: kept (empty), and left out of what the engine is sent.
      const empty = await chat.saveAssistantMessage(
        guest,
        conversation.id,
        "",
        next.userMessage.id,
        {
          leaseId: next.lease.id,
          stopped: true,
        },
      );
      expect(empty.message).toMatchObject({ content: "", stopped: true });
      const third = await post(guest, conversation, "hello?");
      expect(third.history.map((h) => h.content)).toEqual([
        "explain everything",
        "Well, first",
        "go on",
        "hello?",
      ]);
      expect(third.allowance).toEqual(allowance(3));
    });

    // Titles, delete -----------------------------------------------------------------------------

    it("a conversation takes its title from the first message's first words; the owner renames it", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      expect(conversation.title).toBeNull();
      const first = await postUnanswered(
        guest,
        conversation,
        "  What   is the\nmeaning of life, the universe and everything else we know about?  ",
      );
      const title = "What is the meaning of life, the universe and everything…";
      expect(first.conversation.title).toBe(title);
      const second = await postUnanswered(guest, conversation, "Something else entirely");
      expect(second.conversation.title).toBe(title);
      const short = await start(guest);
      expect((await postUnanswered(guest, short, "Hi there!")).conversation.title).toBe(
        "Hi there!",
      );

      const renamed = await chat.renameConversation(
        guest,
        conversation.id,
        "  My   big\nquestion ",
      );
      expect(renamed.title).toBe("My big question");
      expect((await chat.getConversation(guest, conversation.id)).conversation.title).toBe(
        "My big question",
      );
      expect((await chat.listConversations(guest)).map((c) => c.title)).toContain(
        "My big question",
      );
      for (const bad of ["", "   \u00a0", "x".repeat(101)]) {
        const error = await expectAppError(
          chat.renameConversation(guest, conversation.id, bad),
          "invalid_input",
        );
        expect(error.message).toBe("A title must be 1 to 100 characters long.");
      }
      expect((await chat.renameConversation(guest, conversation.id, "y".repeat(100))).title).toBe(
        "y".repeat(100),
      );
      // A title made later (by the model) replaces only the one it expected.
      const kept = await chat.renameConversation(guest, conversation.id, "Model title", {
        expectedTitle: "the automatic one",
      });
      expect(kept.title).toBe("y".repeat(100));
      const replaced = await chat.renameConversation(guest, short.id, "A greeting", {
        expectedTitle: "Hi there!",
      });
      expect(replaced.title).toBe("A greeting");
      // Ended conversations keep their name but may be renamed.
      await chat.endConversation(guest, short.id);
      expect((await chat.renameConversation(guest, short.id, "Over")).title).toBe("Over");
    });

    it("deleting a conversation removes it with its messages and audio; a guest's messages still count", async () => {
      const guest = newGuest();
      const conversation = await start(guest);
      const other = await start(guest);
      await exchange(guest, conversation, "question", "answer");
      await replyFails(
        guest,
        await chat.postVoiceMessage(guest, conversation.id, "spoken", AUDIO, ipOf(guest)),
      );
      const deleted = await chat.deleteConversation(guest, conversation.id);
      expect(deleted).toEqual({ id: conversation.id, storagePaths: [] });
      await expectAppError(chat.getConversation(guest, conversation.id), "not_found");
      await expectAppError(chat.deleteConversation(guest, conversation.id), "not_found");
      expect((await chat.listConversations(guest)).map((c) => c.id)).toEqual([other.id]);
      const [row] = await fx.sql(
        `select
           (select count(*)::int from public.messages where conversation_id = $1) as messages,
           (select count(*)::int from chat_private.message_audio where conversation_id = $1) as audio`,
        [conversation.id],
      );
      expect(row).toEqual({ messages: 0, audio: 0 });
      expect(await chat.getGuestAllowance(guest.sessionId)).toEqual(allowance(2));
      expect((await post(guest, other, "still counting")).allowance).toEqual(allowance(3));

      // In supabase mode the audio is a Storage object: its path comes back for the app to delete.
      const user = await newUser(fx.sql);
      const stored = await start(user);
      const path = `${stored.id}/voice-${randomUUID()}.webm`;
      await chat.postVoiceMessage(
        user,
        stored.id,
        "kept in Storage",
        { ...AUDIO, contentType: "audio/webm", dataBase64: null, storagePath: path },
        ipOf(user),
      );
      expect(await chat.deleteConversation(user, stored.id)).toEqual({
        id: stored.id,
        storagePaths: [path],
      });
    });

    it("deleting an account removes its conversations, and the user in the built-in modes", async () => {
      const user = await newUser(fx.sql);
      const a = await start(user);
      await exchange(user, a, "hello", "hi");
      const b = await start(user);
      const path = `${b.id}/voice-${randomUUID()}.webm`;
      await chat.postVoiceMessage(
        user,
        b.id,
        "spoken",
        { ...AUDIO, contentType: "audio/webm", dataBase64: null, storagePath: path },
        ipOf(user),
      );
      const bystander = await newUser(fx.sql);
      const theirs = await start(bystander);

      expect(await chat.deleteAccount(user.userId, { deleteAuthUser: true })).toEqual({
        conversations: 2,
        storagePaths: [path],
        userDeleted: true,
      });
      const [row] = await fx.sql(
        `select
           (select count(*)::int from auth.users where id = $1) as users,
           (select count(*)::int from public.conversations where user_id = $1) as conversations`,
        [user.userId],
      );
      expect(row).toEqual({ users: 0, conversations: 0 });
      await expectAppError(chat.getConversation(user, a.id), "not_found");
      expect((await chat.listConversations(bystander)).map((c) => c.id)).toEqual([theirs.id]);

      // Supabase mode: the SQL part alone; the app deletes the user through the Auth Admin API.
      const other = await newUser(fx.sql);
      await start(other);
      expect(await chat.deleteAccount(other.userId, { deleteAuthUser: false })).toEqual({
        conversations: 1,
        storagePaths: [],
        userDeleted: false,
      });
      const [left] = await fx.sql("select count(*)::int as n from auth.users where id = $1", [
        other.userId,
      ]);
      expect(left?.n).toBe(1);
      expect(await chat.listConversations(other)).toEqual([]);
    });

    // Pages --------------------------------------------------------------------------------------

    it("a conversation of 500 messages answers in pages of 50, newest first, each oldest first", async () => {
      const user = await newUser(fx.sql);
      const conversation = await start(user);
      await fx.sql(
        `insert into public.messages (conversation_id, sender, role, content, created_at)
         select $1, x.role, x.role, 'message ' || i, now() - interval '1 hour' + i * interval '1 millisecond'
         from generate_series(1, 500) i,
           lateral (select case when i % 2 = 1 then 'user' else 'assistant' end as role) x`,
        [conversation.id],
      );
      const pages: ConversationDetail[] = [];
      let before: string | null = null;
      do {
        const page = await chat.getConversation(user, conversation.id, { before });
        pages.push(page);
        expect(page.messages).toHaveLength(50);
        expect(page.nextBefore).toBe(page.hasMore ? page.messages[0]?.id : null);
        before = page.nextBefore;
      } while (before);
      expect(pages).toHaveLength(10);
      expect(pages.map((p) => p.hasMore)).toEqual([...Array(9).fill(true), false]);
      expect(pages[0]?.messages.map((m) => m.content)).toEqual(
        Array.from({ length: 50 }, (_, i) => `message ${451 + i}`),
      );
      const all = pages.toReversed().flatMap((p) => p.messages.map((m) => m.content));
      expect(all).toEqual(Array.from({ length: 500 }, (_, i) => `message ${i + 1}`));

      // A cursor that is not a message of this conversation is invalid input, never a 500.
      const elsewhere = await start(user);
      const { context } = await exchange(user, elsewhere, "elsewhere", "yes");
      for (const bad of [randomUUID(), context.userMessage.id, "not-a-uuid"]) {
        await expectAppError(
          chat.getConversation(user, conversation.id, { before: bad }),
          "invalid_input",
        );
      }
      // The reply engine still gets the recent history.
      expect((await post(user, conversation, "and now?")).history).toHaveLength(50);
    });

    it("lists conversations in pages with a cursor that holds its place; a bad cursor is invalid input", async () => {
      const guest = newGuest();
      const started: Conversation[] = [];
      for (let i = 0; i < 7; i++) started.push(await start(guest));
      const newestFirst = started.map((c) => c.id).toReversed();
      const seen: string[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const page = await chat.listConversationPage(guest, { before, limit: 3 });
        expect(page.hasMore).toBe(page.nextBefore !== null);
        seen.push(...page.conversations.map((c) => c.id));
        before = page.nextBefore;
        pages += 1;
      } while (before);
      expect(pages).toBe(3);
      expect(seen).toEqual(newestFirst);

      // A conversation of the first page moving to the top does not shift the next page.
      const firstPage = await chat.listConversationPage(guest, { limit: 3 });
      await post(guest, started[4] as Conversation, "back to this one");
      const secondPage = await chat.listConversationPage(guest, {
        before: firstPage.nextBefore,
        limit: 3,
      });
      expect(secondPage.conversations.map((c) => c.id)).toEqual(newestFirst.slice(3, 6));
      expect((await chat.listConversations(guest)).map((c) => c.id)[0]).toBe(started[4]?.id);

      for (const bad of [
        "junk",
        "123",
        `12_${randomUUID()}x`,
        `${"1".repeat(18)}_${randomUUID()}`,
        `12_${randomUUID().toUpperCase()}`,
        "",
      ]) {
        await expectAppError(chat.listConversationPage(guest, { before: bad }), "invalid_input");
      }
    });

    // Voice: the same rules, one transaction ---------------------------------------------------

    it("a voice message is a message: its recording stored, the reply spoken, a live session saved once", async () => {
      const user = await newUser(fx.sql);
      const conversation = await start(user);
      const spoken = await chat.postVoiceMessage(
        user,
        conversation.id,
        "Spoken words",
        AUDIO,
        ipOf(user),
      );
      expect(spoken.userMessage.audioUrl).toBe(
        `/api/conversations/${conversation.id}/messages/${spoken.userMessage.id}/audio`,
      );
      const record = await chat.getMessageAudio(user, conversation.id, spoken.userMessage.id);
      expect(record.audio?.byteSize).toBe(4);
      const { message } = await chat.saveAssistantMessage(
        user,
        conversation.id,
        "Heard you.",
        spoken.userMessage.id,
        { leaseId: spoken.lease.id },
      );
      const stored = await chat.saveMessageAudio(user, conversation.id, message.id, {
        ...AUDIO,
        contentType: "audio/mpeg",
      });
      expect(stored.created).toBe(true);
      const live = await chat.getVoiceSessionContext(user, conversation.id);
      expect(live.persona?.systemPrompt).not.toBe("");
      const session = `conv_${randomBytes(6).toString("hex")}`;
      const turns = [
        { role: "user" as const, content: "Hello by voice" },
        { role: "assistant" as const, content: "Hello back" },
      ];
      expect(await chat.saveVoiceTranscript(user, conversation.id, session, turns)).toMatchObject({
        saved: true,
        messageCount: 2,
      });
      expect(await chat.saveVoiceTranscript(user, conversation.id, session, turns)).toMatchObject({
        saved: false,
        messageCount: 2,
      });
      expect((await chat.getConversation(user, conversation.id)).messages).toHaveLength(4);
    });
  });
}
