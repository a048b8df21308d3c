// The reply flow (lib/chat/reply.ts, lib/chat/reply-stream.ts) on a migrated PGlite database with
// an OpenAI-compatible model talking to the local stand-in model server: a normal reply, every
// failure (the user message stays, no partial reply is saved, the conversation is `error`), then
// a retry that answers it without costing the guest a message. The fixed-text models of the edge
// cases are stand-ins for a remote model (MockLanguageModelV4 from ai/test).

import type { PGlite } from "@electric-sql/pglite";
import { simulateReadableStream } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AiSettings, getReplyModel, type ReplyModel } from "@/lib/ai";
import { newGuestSessionId } from "@/lib/auth/guest-session";
import { MAX_REPLY_CHARS, type RunReplyOptions, runReply, startReply } from "@/lib/chat/reply";
import { createReplyStream, type ReplyChunk } from "@/lib/chat/reply-stream";
import {
  getConversation,
  getGuestAllowance,
  listPersonas,
  startConversation,
} from "@/lib/chat/service";
import type { Actor, Persona } from "@/lib/chat/types";
import type { DbPort } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type Scenario, type StandInServer, startStandInServer } from "../ai/stand-in-model-server";
import { useDatabase } from "../support/database";
import { freshPglitePort } from "../support/pglite";

let pglite: PGlite;
let port: DbPort;
let persona: Persona;
let server: StandInServer | undefined;
let restoreDatabase: () => void;

beforeAll(async () => {
  ({ db: pglite, port } = await freshPglitePort());
  restoreDatabase = useDatabase(port);
  const personas = await listPersonas();
  persona = personas[0] as Persona;
});

afterAll(async () => {
  restoreDatabase();
  await pglite.close();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const settings = (timeoutMs = 5_000): RunReplyOptions["settings"] => ({
  timeoutMs,
  contextTokens: 4_000,
});

async function modelServer(scenario: Scenario, timeoutMs = 5_000) {
  server = await startStandInServer(scenario);
  const ai: AiSettings = {
    model: {
      kind: "openai-compatible",
      baseURL: server.baseURL,
      apiKey: null,
      model: "stand-in-model",
    },
    ...settings(timeoutMs),
    faultInjection: false,
  };
  return { engine: { model: getReplyModel(ai), settings: settings(timeoutMs) }, server };
}

/** The model and settings a reply runs with. */
type Engine = Pick<RunReplyOptions, "model" | "settings">;

/** A model that streams `chunks` and finishes (a stand-in for a remote model). */
function fixedModel(chunks: string[]): Engine {
  const model: ReplyModel = new MockLanguageModelV4({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: "text-start", id: "t" },
          ...chunks.map((delta) => ({ type: "text-delta" as const, id: "t", delta })),
          { type: "text-end", id: "t" },
          {
            type: "finish",
            finishReason: { unified: "stop", raw: undefined },
            usage: {
              inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
              outputTokens: { total: 1, text: 1, reasoning: 0 },
            },
          },
        ],
      }),
    }),
  });
  return { model, settings: settings() };
}

/** A new guest session with one conversation. */
async function guestConversation(): Promise<{ actor: Actor; conversationId: string }> {
  const actor: Actor = { kind: "guest", sessionId: newGuestSessionId() };
  const conversation = await startConversation(actor, persona.id);
  return { actor, conversationId: conversation.id };
}

/** How many times each SQL function was called while `run` ran. */
async function callsDuring(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = port.stats().byFunction;
  await run();
  const after = port.stats().byFunction;
  const diff: Record<string, number> = {};
  for (const [fn, count] of Object.entries(after)) {
    const delta = count - (before[fn] ?? 0);
    if (delta > 0) diff[fn] = delta;
  }
  return diff;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("Expected the reply to fail.");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Posts `content` and runs the reply, recording deltas and database calls. */
async function postAndReply(
  actor: Actor,
  conversationId: string,
  engine: Engine,
  content: string,
  signal?: AbortSignal,
  onDelta?: (delta: string) => void,
) {
  const deltas: string[] = [];
  let outcome: Awaited<ReturnType<typeof runReply>> | AppError | undefined;
  const calls = await callsDuring(async () => {
    const context = await startReply(actor, conversationId, { kind: "message", content });
    try {
      outcome = await runReply({
        actor,
        context,
        ...engine,
        abortSignal: signal,
        onDelta: (delta) => {
          deltas.push(delta);
          onDelta?.(delta);
        },
      });
    } catch (error) {
      outcome = error as AppError;
    }
  });
  return { deltas, outcome, calls };
}

async function expectFailedAndKept(actor: Actor, conversationId: string, content: string) {
  const detail = await getConversation(actor, conversationId);
  expect(detail.conversation.status).toBe("error");
  expect(detail.messages.map((m) => [m.role, m.content])).toEqual([["user", content]]);
}

describe("runReply with the OpenAI-compatible engine", () => {
  it("streams a reply, saves it, keeps the conversation active, in two database calls", async () => {
    const { engine } = await modelServer({ kind: "stream", chunks: ["Ahoy, ", "crew", "mate!"] });
    const { actor, conversationId } = await guestConversation();

    const { deltas, outcome, calls } = await postAndReply(actor, conversationId, engine, "Hi!");

    expect(deltas).toEqual(["Ahoy, ", "crew", "mate!"]);
    expect(outcome).not.toBeInstanceOf(Error);
    const result = outcome as Awaited<ReturnType<typeof runReply>>;
    expect(result.assistantMessage).toMatchObject({
      role: "assistant",
      content: "Ahoy, crewmate!",
    });
    expect(result.conversation.status).toBe("active");
    expect(calls).toEqual({ post_user_message: 1, save_assistant_message: 1 });

    const detail = await getConversation(actor, conversationId);
    expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "Hi!"],
      ["assistant", "Ahoy, crewmate!"],
    ]);
    expect(detail.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });
  });

  const failures: [string, Scenario, number, string][] = [
    ["an HTTP 500 from the model API", { kind: "http-error", status: 500 }, 5_000, "upstream"],
    [
      "a model that never finishes (timeout)",
      { kind: "hang", chunks: ["Let me "] },
      300,
      "timeout",
    ],
    ["a malformed chunk", { kind: "malformed", chunks: ["Partial "] }, 5_000, "malformed"],
    [
      "an error in the middle of the stream",
      { kind: "error-chunk", chunks: ["Half "] },
      5_000,
      "upstream",
    ],
  ];

  it.each(failures)(
    "on %s: keeps the user message, saves no reply, marks the conversation error",
    async (_label, scenario, timeoutMs, reason) => {
      const { engine } = await modelServer(scenario, timeoutMs);
      const { actor, conversationId } = await guestConversation();

      const { outcome, calls } = await postAndReply(actor, conversationId, engine, "Hello?");

      expect(outcome).toBeInstanceOf(AppError);
      const error = outcome as AppError;
      expect([error.code, error.status]).toEqual(["reply_failed", 503]);
      expect((error.cause as { reason?: string }).reason).toBe(reason);
      expect(calls).toEqual({ post_user_message: 1, set_conversation_status: 1 });
      await expectFailedAndKept(actor, conversationId, "Hello?");
    },
  );

  it("when the client aborts mid-stream (Stop, or it went away): cancels the model request, keeps what arrived marked stopped, not an error", async () => {
    const { engine, server } = await modelServer({ kind: "endless", intervalMs: 20 });
    const { actor, conversationId } = await guestConversation();
    const client = new AbortController();
    let seen = 0;

    const { deltas, outcome, calls } = await postAndReply(
      actor,
      conversationId,
      engine,
      "Tell me a long story.",
      client.signal,
      () => {
        seen += 1;
        if (seen === 3) client.abort(new Error("stopped"));
      },
    );

    expect(deltas.length).toBeGreaterThanOrEqual(3);
    const result = outcome as Awaited<ReturnType<typeof runReply>>;
    expect(result.assistantMessage.stopped).toBe(true);
    expect(result.assistantMessage.content).toBe(deltas.join(""));
    expect(result.conversation.status).toBe("active");
    expect(calls).toEqual({ post_user_message: 1, save_assistant_message: 1 });
    const detail = await getConversation(actor, conversationId);
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages.map((m) => [m.role, m.stopped])).toEqual([
      ["user", false],
      ["assistant", true],
    ]);
    // Stopping costs nothing more: the one message posted.
    expect(detail.allowance?.used).toBe(1);
    await expect(server.requests[0]?.closed).resolves.toBeUndefined();
  });

  it("a reply stopped before its first word is saved empty, marked stopped, and the conversation stays active", async () => {
    const { engine } = await modelServer({ kind: "endless", intervalMs: 20 });
    const { actor, conversationId } = await guestConversation();
    const client = new AbortController();
    client.abort(new Error("stopped at once"));
    const { deltas, outcome } = await postAndReply(
      actor,
      conversationId,
      engine,
      "Hi",
      client.signal,
    );
    expect(deltas).toEqual([]);
    const result = outcome as Awaited<ReturnType<typeof runReply>>;
    expect([result.assistantMessage.stopped, result.assistantMessage.content]).toEqual([true, ""]);
    const detail = await getConversation(actor, conversationId);
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages.map((m) => [m.role, m.content, m.stopped])).toEqual([
      ["user", "Hi", false],
      ["assistant", "", true],
    ]);
    // The next message can be sent: the stopped reply answered this one.
    const next = await startReply(actor, conversationId, { kind: "message", content: "Again" });
    expect(next.userMessage.content).toBe("Again");
  });

  it("a retry answers the failed message, sets the conversation active, and costs no allowance", async () => {
    const failing = await modelServer({ kind: "http-error", status: 500 });
    const { actor, conversationId } = await guestConversation();
    await postAndReply(actor, conversationId, failing.engine, "Are you there?");
    await failing.server.close();
    const allowanceBefore = await getGuestAllowance((actor as { sessionId: string }).sessionId);
    expect(allowanceBefore).toEqual({ limit: 10, used: 1, remaining: 9 });

    const { engine } = await modelServer({ kind: "stream", chunks: ["Yes, ", "I am."] });
    let result: Awaited<ReturnType<typeof runReply>> | undefined;
    const calls = await callsDuring(async () => {
      const context = await startReply(actor, conversationId, { kind: "retry" });
      expect(context.userMessage.content).toBe("Are you there?");
      expect(context.allowance).toEqual(allowanceBefore);
      result = await runReply({ actor, context, ...engine });
    });

    expect(calls).toEqual({ prepare_retry: 1, save_assistant_message: 1 });
    expect(result?.assistantMessage.content).toBe("Yes, I am.");
    expect(result?.conversation.status).toBe("active");
    const detail = await getConversation(actor, conversationId);
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "Are you there?"],
      ["assistant", "Yes, I am."],
    ]);
    expect(detail.allowance).toEqual(allowanceBefore);
    // The model saw the same history the first attempt had: the unanswered message last.
    const body = server?.requests[0]?.body as { messages: { role: string; content: string }[] };
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "Are you there?" });

    // Now nothing is left to retry.
    const again = await rejection(startReply(actor, conversationId, { kind: "retry" }));
    expect([again.code, again.status]).toEqual(["nothing_to_retry", 409]);
  });
});

describe("runReply edge cases", () => {
  const engineOf = fixedModel;

  it("treats an empty reply as a failure rather than saving nothing", async () => {
    const { actor, conversationId } = await guestConversation();
    const { outcome } = await postAndReply(actor, conversationId, engineOf(["", "  "]), "Hm?");
    expect((outcome as AppError).code).toBe("reply_failed");
    await expectFailedAndKept(actor, conversationId, "Hm?");
  });

  it("cuts a reply that runs past what the database takes, and saves the cut reply", async () => {
    const { actor, conversationId } = await guestConversation();
    const long = engineOf(["a".repeat(20_000), "b".repeat(20_000), "never read"]);
    const { deltas, outcome } = await postAndReply(actor, conversationId, long, "Go on.");
    const result = outcome as Awaited<ReturnType<typeof runReply>>;
    expect(result.assistantMessage.content).toHaveLength(MAX_REPLY_CHARS);
    expect(deltas.join("")).toBe(result.assistantMessage.content);
  });
});

describe("runReply when the message was answered meanwhile", () => {
  const engineOf = (text: string) => fixedModel([text]);

  it("two retries of one failed message: the second waits (409) while the first replies", async () => {
    const { actor, conversationId } = await guestConversation();
    await postAndReply(actor, conversationId, engineOf(""), "hello");
    const first = await startReply(actor, conversationId, { kind: "retry" });
    const second = await rejection(startReply(actor, conversationId, { kind: "retry" }));
    expect([second.code, second.status]).toEqual(["reply_in_progress", 409]);
    const saved = await runReply({ actor, context: first, ...engineOf("A") });
    expect(saved.conversation.status).toBe("active");
    const detail = await getConversation(actor, conversationId);
    expect(detail.messages.map((m) => `${m.role}:${m.content}`)).toEqual([
      "user:hello",
      "assistant:A",
    ]);
  });

  it("a reply whose lease ran out and was taken over by a retry is dropped with a 409", async () => {
    const { actor, conversationId } = await guestConversation();
    const stale = await startReply(actor, conversationId, { kind: "message", content: "hello" });
    // As if its server had hung past AI_TIMEOUT_MS: the conversation reads `error`, Retry runs.
    await pglite.query(
      "update public.conversations set reply_lease_until = now() - interval '1 second' where id = $1",
      [conversationId],
    );
    const retry = await startReply(actor, conversationId, { kind: "retry" });
    await runReply({ actor, context: retry, ...engineOf("B") });
    let error: AppError | undefined;
    const calls = await callsDuring(async () => {
      error = await rejection(runReply({ actor, context: stale, ...engineOf("A") }));
    });
    expect([error?.code, error?.status]).toEqual(["nothing_to_retry", 409]);
    // The winner's success stands: the conversation is not marked `error`.
    expect(calls).toEqual({ save_assistant_message: 1 });
    const detail = await getConversation(actor, conversationId);
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages.map((m) => `${m.role}:${m.content}`)).toEqual([
      "user:hello",
      "assistant:B",
    ]);
  });

  it("a post while a reply is being written is refused (409 reply_in_progress) and saves nothing", async () => {
    const { actor, conversationId } = await guestConversation();
    const q2 = await startReply(actor, conversationId, { kind: "message", content: "q2" });
    const q3 = await rejection(
      startReply(actor, conversationId, { kind: "message", content: "q3" }),
    );
    expect([q3.code, q3.status]).toEqual(["reply_in_progress", 409]);
    await runReply({ actor, context: q2, ...engineOf("answer to q2") });
    const detail = await getConversation(actor, conversationId);
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages.map((m) => `${m.role}:${m.content}`)).toEqual([
      "user:q2",
      "assistant:answer to q2",
    ]);
    expect(detail.allowance?.used).toBe(1);
  });
});

describe("the SQL functions check what zod checks", () => {
  it.each([
    ["empty", ""],
    ["whitespace only", " \t\n "],
    ["4001 characters", "x".repeat(4001)],
  ])(
    "post_user_message refuses a %s message with invalid_content and counts nothing",
    async (_label, content) => {
      const { actor, conversationId } = await guestConversation();
      const error = await rejection(
        startReply(actor, conversationId, { kind: "message", content }),
      );
      expect([error.code, error.status]).toEqual(["invalid_content", 400]);
      const detail = await getConversation(actor, conversationId);
      expect(detail.messages).toEqual([]);
      expect(detail.allowance?.used).toBe(0);
    },
  );

  it("start_conversation refuses an inactive persona with persona_not_found", async () => {
    await pglite.query("update public.personas set is_active = false where slug = 'chef-remy'");
    const inactive = await pglite.query<{ id: string }>(
      "select id from public.personas where slug = 'chef-remy'",
    );
    const actor: Actor = { kind: "guest", sessionId: newGuestSessionId() };
    const error = await rejection(startConversation(actor, inactive.rows[0]?.id ?? ""));
    expect([error.code, error.status]).toEqual(["persona_not_found", 404]);
    await pglite.query("update public.personas set is_active = true where slug = 'chef-remy'");
  });
});

async function readChunks(stream: ReadableStream<ReplyChunk>): Promise<ReplyChunk[]> {
  const chunks: ReplyChunk[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** The conversation once it holds `count` messages (the reply was saved), or after 5 s. */
async function waitForMessages(actor: Actor, conversationId: string, count: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const detail = await getConversation(actor, conversationId);
    if (detail.messages.length >= count || Date.now() > deadline) return detail;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("createReplyStream (the UI message stream contract)", () => {
  it("sends start (with the saved message, allowance, conversation), the text, then finish", async () => {
    const { engine } = await modelServer({ kind: "stream", chunks: ["Bonjour", ", mon ami."] });
    const { actor, conversationId } = await guestConversation();
    const context = await startReply(actor, conversationId, { kind: "message", content: "Hi" });

    const chunks = await readChunks(createReplyStream({ actor, context, ...engine }));

    expect(chunks.map((c) => c.type)).toEqual([
      "start",
      "text-start",
      "text-delta",
      "text-delta",
      "text-end",
      "finish",
    ]);
    expect(chunks[0]).toEqual({
      type: "start",
      // The SDK names the client-side message; the saved reply's id arrives with finish.
      messageId: expect.any(String),
      messageMetadata: {
        userMessage: context.userMessage,
        allowance: { limit: 10, used: 1, remaining: 9 },
        conversation: context.conversation,
      },
    });
    expect(chunks[2]).toEqual({ type: "text-delta", id: "reply", delta: "Bonjour" });
    const finish = chunks[5] as Extract<ReplyChunk, { type: "finish" }>;
    expect(finish.finishReason).toBe("stop");
    expect(finish.messageMetadata?.assistantMessage).toMatchObject({
      role: "assistant",
      content: "Bonjour, mon ami.",
    });
    expect(finish.messageMetadata?.conversation?.status).toBe("active");
  });

  it("ends with an error chunk holding the JSON error when the engine fails", async () => {
    const { engine } = await modelServer({ kind: "error-chunk", chunks: ["Half "] });
    const { actor, conversationId } = await guestConversation();
    const context = await startReply(actor, conversationId, { kind: "message", content: "Hi" });

    const chunks = await readChunks(createReplyStream({ actor, context, ...engine }));

    expect(chunks.map((c) => c.type)).toEqual([
      "start",
      "text-start",
      "text-delta",
      "text-end",
      "error",
    ]);
    const last = chunks.at(-1) as Extract<ReplyChunk, { type: "error" }>;
    expect(JSON.parse(last.errorText)).toEqual({
      code: "reply_failed",
      message: expect.any(String),
    });
    await expectFailedAndKept(actor, conversationId, "Hi");
  });

  it("cancels the engine when the client goes away (the request's signal fires, the response is abandoned) and keeps what arrived, marked stopped", async () => {
    const { engine, server } = await modelServer({ kind: "endless", intervalMs: 20 });
    const { actor, conversationId } = await guestConversation();
    const context = await startReply(actor, conversationId, { kind: "message", content: "Go" });
    // Next.js aborts the request's signal when the client disconnects, then drops the response.
    const request = new AbortController();

    const stream = createReplyStream({ actor, context, ...engine, abortSignal: request.signal });
    const reader = stream.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.type === "text-delta") break;
    }
    request.abort(new Error("client went away"));
    await reader.cancel(new Error("client went away"));

    await expect(server.requests[0]?.closed).resolves.toBeUndefined();
    const detail = await waitForMessages(actor, conversationId, 2);
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages.map((m) => [m.role, m.stopped])).toEqual([
      ["user", false],
      ["assistant", true],
    ]);
  });
});
