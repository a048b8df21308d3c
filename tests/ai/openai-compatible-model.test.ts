// An OpenAI-compatible model (@ai-sdk/openai-compatible) through the app's one streamText call,
// against a local stand-in for a remote model API: streaming, the request's shape and budget,
// the timeout and cancellation from streamText's own options, the length cap, and every failure
// ending as one outcome with a reason.

import { afterEach, describe, expect, it } from "vitest";
import { type AiSettings, getReplyModel } from "@/lib/ai";
import type { ChatTurn, PersonaForReply } from "@/lib/ai/reply-request";
import { type ReplyOutcome, streamReply } from "@/lib/ai/stream-reply";
import { type Scenario, type StandInServer, startStandInServer } from "./stand-in-model-server";

const persona: PersonaForReply = {
  slug: "captain-nova",
  name: "Captain Nova",
  systemPrompt: "You are Captain Nova, an upbeat space-explorer captain.",
  greeting: "Welcome aboard!",
};

const history: ChatTurn[] = [
  { role: "assistant", content: "Welcome aboard!" },
  { role: "user", content: "Hi captain." },
  { role: "assistant", content: "Ahoy, crewmate!" },
  { role: "user", content: "Where are we flying today?" },
];

let server: StandInServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(scenario: Scenario): Promise<StandInServer> {
  server = await startStandInServer(scenario);
  return server;
}

type Options = {
  apiKey?: string;
  timeoutMs?: number;
  contextTokens?: number;
  maxChars?: number;
  abortSignal?: AbortSignal;
  onDelta?: (delta: string) => void;
  turns?: ChatTurn[];
};

/** One reply from the stand-in at `baseURL`: the outcome, and the text as it streamed. */
async function reply(baseURL: string, options: Options = {}) {
  const settings: AiSettings = {
    model: {
      kind: "openai-compatible",
      baseURL,
      apiKey: options.apiKey ?? null,
      model: "stand-in-model",
    },
    timeoutMs: options.timeoutMs ?? 5_000,
    contextTokens: options.contextTokens ?? 4_000,
    faultInjection: false,
  };
  const deltas: string[] = [];
  const outcome = await streamReply<ReplyOutcome>({
    model: getReplyModel(settings),
    request: { persona, history: options.turns ?? history, messageId: "m-1" },
    settings,
    maxChars: options.maxChars ?? 32_000,
    abortSignal: options.abortSignal,
    onDelta: (delta) => {
      deltas.push(delta);
      options.onDelta?.(delta);
    },
    onEnd: async (end) => end,
  });
  const failure = "failure" in outcome ? outcome.failure : undefined;
  return { outcome, deltas, failure };
}

function closedWithin(
  request: { closed: Promise<void> } | undefined,
  ms: number,
): Promise<boolean> {
  return Promise.race([
    (request?.closed ?? new Promise<void>(() => {})).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe("an OpenAI-compatible model", () => {
  it("streams the model's text in order and sends a well-formed chat-completions request", async () => {
    const { baseURL, requests } = await serve({
      kind: "stream",
      chunks: ["To ", "the ", "Orion ", "Nebula!"],
    });

    const { outcome, deltas } = await reply(baseURL, { apiKey: "sk-test-123" });

    expect(deltas).toEqual(["To ", "the ", "Orion ", "Nebula!"]);
    expect(outcome).toEqual({ text: "To the Orion Nebula!" });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer sk-test-123");
    expect(request?.body).toMatchObject({
      model: "stand-in-model",
      stream: true,
      messages: [{ role: "system", content: persona.systemPrompt }, ...history],
    });
    // What the built-in model reads from the provider options stays out of the API request.
    expect(JSON.stringify(request?.body)).not.toContain("personaChat");
  });

  it("sends only the newest turns that fit the context budget, always with the last user message", async () => {
    const { baseURL, requests } = await serve({ kind: "stream", chunks: ["Ok."] });
    const longTurns: ChatTurn[] = [
      { role: "user", content: "a".repeat(400) },
      { role: "assistant", content: "b".repeat(400) },
      { role: "user", content: "c".repeat(40) },
      { role: "assistant", content: "d".repeat(40) },
      { role: "user", content: "What now?" },
    ];
    // System prompt ~14 tokens + last three turns 10 + 10 + 3 tokens fit in 50; the 100-token turns do not.
    await reply(baseURL, { contextTokens: 50, turns: longTurns });

    const body = requests[0]?.body as { messages: ChatTurn[] };
    expect(body.messages).toEqual([
      { role: "system", content: persona.systemPrompt },
      ...longTurns.slice(2),
    ]);
    expect(requests[0]?.headers.authorization).toBeUndefined();
  });

  it("turns an HTTP 500 from the model API into an 'upstream' failure without retrying", async () => {
    const { baseURL, requests } = await serve({ kind: "http-error", status: 500 });

    const { failure } = await reply(baseURL);

    expect(failure?.reason).toBe("upstream");
    expect(failure?.message).toContain("500");
    expect(requests).toHaveLength(1);
  });

  it("gives up with 'timeout' (streamText's timeout) when the model never finishes, and closes the request", async () => {
    const { baseURL, requests } = await serve({ kind: "hang", chunks: ["Still ", "thinking"] });
    const startedAt = performance.now();

    const { failure, deltas } = await reply(baseURL, { timeoutMs: 300 });

    expect(failure?.reason).toBe("timeout");
    expect(deltas.join("")).toBe("Still thinking");
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    expect(await closedWithin(requests[0], 2_000)).toBe(true);
  });

  it("fails with 'malformed' on a chunk that is not JSON", async () => {
    const { baseURL } = await serve({ kind: "malformed", chunks: ["Partial "] });
    expect((await reply(baseURL)).failure?.reason).toBe("malformed");
  });

  it("fails with 'upstream' when the model API reports an error in the middle of the stream", async () => {
    const { baseURL } = await serve({ kind: "error-chunk", chunks: ["Half a "] });
    expect((await reply(baseURL)).failure?.reason).toBe("upstream");
  });

  it("stops with 'aborted' when the abort signal fires mid-stream, and the model API sees the request close", async () => {
    const { baseURL, requests } = await serve({ kind: "endless", intervalMs: 20 });
    const client = new AbortController();

    const { failure, deltas } = await reply(baseURL, {
      abortSignal: client.signal,
      onDelta: () => client.abort(new Error("client went away")),
    });

    expect(failure?.reason).toBe("aborted");
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(await closedWithin(requests[0], 2_000)).toBe(true);
  });

  it("fails at once with 'aborted' when the signal has already fired, without calling the model API", async () => {
    const { baseURL, requests } = await serve({ kind: "stream", chunks: ["Hi"] });
    const client = new AbortController();
    client.abort();

    const { failure } = await reply(baseURL, { abortSignal: client.signal });

    expect(failure?.reason).toBe("aborted");
    expect(requests).toHaveLength(0);
  });

  it("cuts a model that runs on at maxChars, ends the reply there and closes the request", async () => {
    const { baseURL, requests } = await serve({ kind: "endless", intervalMs: 5 });

    const { outcome, deltas } = await reply(baseURL, { maxChars: 40 });

    expect(outcome).toEqual({ text: deltas.join("") });
    expect(deltas.join("")).toHaveLength(40);
    expect(deltas.join("")).toMatch(/^tick0 tick1 /);
    expect(await closedWithin(requests[0], 2_000)).toBe(true);
  });

  it("reports an unreachable model API as 'upstream'", async () => {
    const { baseURL } = await serve({ kind: "stream", chunks: [] });
    await server?.close();
    server = undefined;

    expect((await reply(baseURL)).failure?.reason).toBe("upstream");
  });

  it("treats an empty reply as a failure ('malformed'), not as a reply", async () => {
    const { baseURL } = await serve({ kind: "stream", chunks: ["", "  "] });
    expect((await reply(baseURL)).failure?.reason).toBe("malformed");
  });
});
