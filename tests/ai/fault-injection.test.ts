// Forced reply failures for end-to-end tests (a wrapLanguageModel middleware): one failure per
// marked message, then success; on the built-in model and on a real HTTP model request.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AiSettings, getReplyModel } from "@/lib/ai";
import { composeBuiltinReply } from "@/lib/ai/builtin-reply";
import {
  CHUNKS_BEFORE_FAILURE,
  FAIL_ONCE_TOKEN,
  resetFaultInjection,
} from "@/lib/ai/fault-injection";
import type { PersonaForReply } from "@/lib/ai/reply-request";
import { type ReplyOutcome, streamReply } from "@/lib/ai/stream-reply";
import { parseConfig } from "@/lib/config";
import { type StandInServer, startStandInServer } from "./stand-in-model-server";

const persona: PersonaForReply = {
  slug: "captain-nova",
  name: "Captain Nova",
  systemPrompt: "You are Captain Nova.",
  greeting: "Welcome aboard!",
};

const builtin = (faultInjection: boolean): AiSettings => ({
  model: { kind: "builtin", delayMs: 0 },
  timeoutMs: 5_000,
  contextTokens: 4_000,
  faultInjection,
});

async function attempt(settings: AiSettings, content: string, messageId: string) {
  const deltas: string[] = [];
  const outcome = await streamReply<ReplyOutcome>({
    model: getReplyModel(settings),
    request: { persona, history: [{ role: "user", content }], messageId },
    settings,
    maxChars: 32_000,
    onDelta: (delta) => deltas.push(delta),
    onEnd: async (end) => end,
  });
  return { deltas, outcome, reason: "failure" in outcome ? outcome.failure.reason : undefined };
}

const fullReply = (content: string) => composeBuiltinReply(persona, [{ role: "user", content }]);

let server: StandInServer | undefined;

beforeEach(() => resetFaultInjection());

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("fault injection", () => {
  it("fails the first attempt after a few pieces of text, then lets the retry of the same message succeed", async () => {
    const content = `Where are we headed? ${FAIL_ONCE_TOKEN}`;

    const first = await attempt(builtin(true), content, "msg-1");
    expect(first.reason).toBe("injected");
    expect(first.deltas).toHaveLength(CHUNKS_BEFORE_FAILURE);

    const retry = await attempt(builtin(true), content, "msg-1");
    expect(retry.outcome).toEqual({ text: fullReply(content) });
    expect(retry.deltas.join("")).toBe(fullReply(content));
  });

  it("fails once per message: another marked message fails on its own first attempt", async () => {
    expect((await attempt(builtin(true), `one ${FAIL_ONCE_TOKEN}`, "msg-a")).reason).toBe(
      "injected",
    );
    expect((await attempt(builtin(true), `two ${FAIL_ONCE_TOKEN}`, "msg-b")).reason).toBe(
      "injected",
    );
    expect(
      (await attempt(builtin(true), `one ${FAIL_ONCE_TOKEN}`, "msg-a")).reason,
    ).toBeUndefined();
  });

  it("leaves messages without the token alone", async () => {
    const result = await attempt(builtin(true), "Where are we headed?", "msg-2");
    expect(result.outcome).toEqual({ text: fullReply("Where are we headed?") });
  });

  it("is a passthrough when the setting is off", async () => {
    const result = await attempt(builtin(false), `Hello ${FAIL_ONCE_TOKEN}`, "msg-3");
    expect(result.outcome).toEqual({ text: fullReply(`Hello ${FAIL_ONCE_TOKEN}`) });
  });

  it("is switched on by REPLY_FAULT_INJECTION=1", async () => {
    const on = parseConfig({ REPLY_FAULT_INJECTION: "1", BUILTIN_ENGINE_DELAY_MS: "0" }).ai;
    expect((await attempt(on, `Hello ${FAIL_ONCE_TOKEN}`, "msg-4")).reason).toBe("injected");
    expect((await attempt(on, `Hello ${FAIL_ONCE_TOKEN}`, "msg-4")).reason).toBeUndefined();
    const off = parseConfig({ BUILTIN_ENGINE_DELAY_MS: "0" }).ai;
    expect((await attempt(off, `Hello ${FAIL_ONCE_TOKEN}`, "msg-5")).reason).toBeUndefined();
  });

  it("remembers a bounded number of messages, forgetting the oldest first", async () => {
    const marked = (id: number) => attempt(builtin(true), `ping ${FAIL_ONCE_TOKEN}`, `bulk-${id}`);
    for (let id = 0; id <= 1_000; id++) await marked(id);
    // bulk-0 was pushed out by the 1,001st entry, so it fails again; bulk-1000 is still remembered.
    expect((await marked(0)).reason).toBe("injected");
    expect((await marked(1_000)).reason).toBeUndefined();
  });

  it("on an OpenAI-compatible model: fails after a few pieces and closes the model's HTTP request", async () => {
    server = await startStandInServer({ kind: "endless", intervalMs: 20 });
    const settings: AiSettings = {
      model: { kind: "openai-compatible", baseURL: server.baseURL, apiKey: null, model: "m" },
      timeoutMs: 5_000,
      contextTokens: 4_000,
      faultInjection: true,
    };
    const first = await attempt(settings, `Tell me a story ${FAIL_ONCE_TOKEN}`, "msg-http");
    expect(first.reason).toBe("injected");
    expect(first.deltas).toEqual(["tick0 ", "tick1 ", "tick2 "]);
    const closedInTime = await Promise.race([
      server.requests[0]?.closed.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 2_000)),
    ]);
    expect(closedInTime).toBe(true);
  });
});
