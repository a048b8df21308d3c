// Forced reply failures for end-to-end tests: one failure per marked message, then success.

import { beforeEach, describe, expect, it } from "vitest";
import { createBuiltinEngine } from "../../lib/ai/builtin-engine";
import {
  CHUNKS_BEFORE_FAILURE,
  FAIL_ONCE_TOKEN,
  resetFaultInjection,
  withFaultInjection,
} from "../../lib/ai/fault-injection";
import { getReplyEngine } from "../../lib/ai/index";
import { type ReplyEngine, ReplyEngineError, type ReplyRequest } from "../../lib/ai/types";

const builtin = createBuiltinEngine({ delayMs: 0 });

const request = (content: string, messageId?: string): ReplyRequest => ({
  persona: {
    slug: "captain-nova",
    name: "Captain Nova",
    systemPrompt: "",
    greeting: "Welcome aboard!",
  },
  history: [{ role: "user", content }],
  messageId,
});

async function attempt(
  engine: ReplyEngine,
  req: ReplyRequest,
): Promise<{ chunks: string[]; error?: ReplyEngineError }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of engine.streamReply(req)) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    if (!(error instanceof ReplyEngineError)) throw error;
    return { chunks, error };
  }
}

async function fullReply(req: ReplyRequest): Promise<string> {
  return (await attempt(builtin, req)).chunks.join("");
}

beforeEach(() => resetFaultInjection());

describe("fault injection", () => {
  it("fails the first attempt after a few chunks, then lets the retry for the same message succeed", async () => {
    const engine = withFaultInjection(builtin, true);
    const req = request(`Where are we headed? ${FAIL_ONCE_TOKEN}`, "msg-1");

    const first = await attempt(engine, req);
    expect(first.error?.reason).toBe("injected");
    expect(first.chunks).toHaveLength(CHUNKS_BEFORE_FAILURE);

    const retry = await attempt(engine, req);
    expect(retry.error).toBeUndefined();
    expect(retry.chunks.join("")).toBe(await fullReply(req));
  });

  it("fails once per message: another marked message fails on its own first attempt", async () => {
    const engine = withFaultInjection(builtin, true);
    expect((await attempt(engine, request(`one ${FAIL_ONCE_TOKEN}`, "msg-a"))).error?.reason).toBe(
      "injected",
    );
    expect((await attempt(engine, request(`two ${FAIL_ONCE_TOKEN}`, "msg-b"))).error?.reason).toBe(
      "injected",
    );
    expect(
      (await attempt(engine, request(`one ${FAIL_ONCE_TOKEN}`, "msg-a"))).error,
    ).toBeUndefined();
  });

  it("leaves messages without the token alone", async () => {
    const engine = withFaultInjection(builtin, true);
    const req = request("Where are we headed?", "msg-2");
    const result = await attempt(engine, req);
    expect(result.error).toBeUndefined();
    expect(result.chunks.join("")).toBe(await fullReply(req));
  });

  it("is a passthrough when disabled", async () => {
    expect(withFaultInjection(builtin, false)).toBe(builtin);
    const engine = getReplyEngine({ BUILTIN_ENGINE_DELAY_MS: "0" });
    const result = await attempt(engine, request(`Hello ${FAIL_ONCE_TOKEN}`, "msg-3"));
    expect(result.error).toBeUndefined();
  });

  it("is switched on by REPLY_FAULT_INJECTION=1", async () => {
    const engine = getReplyEngine({ REPLY_FAULT_INJECTION: "1", BUILTIN_ENGINE_DELAY_MS: "0" });
    const req = request(`Hello ${FAIL_ONCE_TOKEN}`, "msg-4");
    expect((await attempt(engine, req)).error?.reason).toBe("injected");
    expect((await attempt(engine, req)).error).toBeUndefined();
  });

  it("remembers a bounded number of messages, forgetting the oldest first", async () => {
    const engine = withFaultInjection(builtin, true);
    const marked = (id: number) => request(`ping ${FAIL_ONCE_TOKEN}`, `bulk-${id}`);
    for (let id = 0; id <= 1_000; id++) await attempt(engine, marked(id));
    // bulk-0 was pushed out by the 1,001st entry, so it fails again; bulk-1000 is still remembered.
    expect((await attempt(engine, marked(0))).error?.reason).toBe("injected");
    expect((await attempt(engine, marked(1_000))).error).toBeUndefined();
  });
});
