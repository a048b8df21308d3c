// The OpenAI-compatible engine against a local stand-in for a remote model API: streaming,
// request shape, and every failure mode surfacing as a ReplyEngineError.

import { afterEach, describe, expect, it } from "vitest";
import { createOpenAICompatibleEngine } from "../../lib/ai/openai-compatible-engine";
import { type ChatTurn, type PersonaForReply, ReplyEngineError } from "../../lib/ai/types";
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

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function failureOf(stream: AsyncIterable<string>): Promise<ReplyEngineError> {
  try {
    await collect(stream);
  } catch (error) {
    expect(error).toBeInstanceOf(ReplyEngineError);
    return error as ReplyEngineError;
  }
  throw new Error("Expected the reply stream to fail, but it completed.");
}

describe("OpenAI-compatible engine", () => {
  it("streams the model's text in order and sends a well-formed chat-completions request", async () => {
    const { baseURL, requests } = await serve({
      kind: "stream",
      chunks: ["To ", "the ", "Orion ", "Nebula!"],
    });
    const engine = createOpenAICompatibleEngine({
      baseURL,
      apiKey: "sk-test-123",
      model: "stand-in-model",
      timeoutMs: 5_000,
    });

    const chunks = await collect(engine.streamReply({ persona, history }));

    expect(chunks.join("")).toBe("To the Orion Nebula!");
    expect(engine.id).toBe("openai-compatible:stand-in-model");
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
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", contextTokens: 50 });

    await collect(engine.streamReply({ persona, history: longTurns }));

    const body = requests[0]?.body as { messages: ChatTurn[] };
    expect(body.messages).toEqual([
      { role: "system", content: persona.systemPrompt },
      ...longTurns.slice(2),
    ]);
    expect(requests[0]?.headers.authorization).toBeUndefined();
  });

  it("turns an HTTP 500 from the model API into an 'upstream' error without retrying", async () => {
    const { baseURL, requests } = await serve({ kind: "http-error", status: 500 });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 5_000 });

    const error = await failureOf(engine.streamReply({ persona, history }));

    expect(error.reason).toBe("upstream");
    expect(error.message).toContain("500");
    expect(requests).toHaveLength(1);
  });

  it("gives up with 'timeout' when the model never finishes, and closes the upstream request", async () => {
    const { baseURL, requests } = await serve({ kind: "hang", chunks: ["Still ", "thinking"] });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 300 });
    const startedAt = performance.now();

    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const chunk of engine.streamReply({ persona, history })) received.push(chunk);
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(ReplyEngineError);
    expect((failure as ReplyEngineError).reason).toBe("timeout");
    expect(received.join("")).toBe("Still thinking");
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    await requests[0]?.closed;
  });

  it("fails with 'malformed' on a chunk that is not JSON", async () => {
    const { baseURL } = await serve({ kind: "malformed", chunks: ["Partial "] });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 5_000 });

    const error = await failureOf(engine.streamReply({ persona, history }));

    expect(error.reason).toBe("malformed");
  });

  it("fails with 'upstream' when the model API reports an error in the middle of the stream", async () => {
    const { baseURL } = await serve({ kind: "error-chunk", chunks: ["Half a "] });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 5_000 });

    const error = await failureOf(engine.streamReply({ persona, history }));

    expect(error.reason).toBe("upstream");
  });

  it("stops with 'aborted' when the client disconnects mid-stream, and the model API sees the request close", async () => {
    const { baseURL, requests } = await serve({ kind: "endless", intervalMs: 20 });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 5_000 });
    const client = new AbortController();

    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const chunk of engine.streamReply({ persona, history, signal: client.signal })) {
        received.push(chunk);
        if (received.length === 1) client.abort();
      }
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(ReplyEngineError);
    expect((failure as ReplyEngineError).reason).toBe("aborted");
    expect(received.length).toBeGreaterThanOrEqual(1);
    const closedInTime = await Promise.race([
      requests[0]?.closed.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 2_000)),
    ]);
    expect(closedInTime).toBe(true);
  });

  it("fails at once with 'aborted' when the client is already gone, without calling the model API", async () => {
    const { baseURL, requests } = await serve({ kind: "stream", chunks: ["Hi"] });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m" });
    const client = new AbortController();
    client.abort();

    const error = await failureOf(engine.streamReply({ persona, history, signal: client.signal }));

    expect(error.reason).toBe("aborted");
    expect(requests).toHaveLength(0);
  });

  it("closes the upstream request when the consumer stops reading early", async () => {
    const { baseURL, requests } = await serve({ kind: "endless", intervalMs: 20 });
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 5_000 });

    for await (const _chunk of engine.streamReply({ persona, history })) break;

    const closedInTime = await Promise.race([
      requests[0]?.closed.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 2_000)),
    ]);
    expect(closedInTime).toBe(true);
  });

  it("reports an unreachable model API as 'upstream'", async () => {
    const { baseURL } = await serve({ kind: "stream", chunks: [] });
    await server?.close();
    server = undefined;
    const engine = createOpenAICompatibleEngine({ baseURL, model: "m", timeoutMs: 5_000 });

    const error = await failureOf(engine.streamReply({ persona, history }));

    expect(error.reason).toBe("upstream");
  });
});
