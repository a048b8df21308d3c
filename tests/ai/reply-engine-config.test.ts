// Choosing the reply engine from the environment, with one-sentence errors for bad settings.

import { describe, expect, it } from "vitest";
import { AiConfigError, getReplyEngine, parseAiConfig } from "../../lib/ai/index";

function errorOf(fn: () => unknown): AiConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AiConfigError);
    return error as AiConfigError;
  }
  throw new Error("Expected an AiConfigError.");
}

function expectOneSentence(message: string): void {
  expect(message).not.toContain("\n");
  expect(message).toMatch(/^[A-Z].*\.$/);
  expect(message.split(/\.\s+[A-Z]/)).toHaveLength(1);
}

describe("AI settings", () => {
  it("uses the built-in engine when neither AI_BASE_URL nor AI_MODEL is set", () => {
    expect(parseAiConfig({})).toEqual({
      engine: "builtin",
      builtinDelayMs: undefined,
      faultInjection: false,
    });
    expect(getReplyEngine({}).id).toBe("builtin");
  });

  it("treats blank values as unset", () => {
    expect(parseAiConfig({ AI_BASE_URL: "", AI_MODEL: "  ", AI_TIMEOUT_MS: "" }).engine).toBe(
      "builtin",
    );
  });

  it("uses an OpenAI-compatible model when both are set, with defaults for the rest", () => {
    const config = parseAiConfig({
      AI_BASE_URL: "http://localhost:11434/v1",
      AI_MODEL: "llama3.2",
    });
    expect(config).toEqual({
      engine: "openai-compatible",
      baseURL: "http://localhost:11434/v1",
      apiKey: undefined,
      model: "llama3.2",
      timeoutMs: 30_000,
      contextTokens: 4_000,
      faultInjection: false,
    });
    const engine = getReplyEngine({
      AI_BASE_URL: "http://localhost:11434/v1",
      AI_MODEL: "llama3.2",
    });
    expect(engine.id).toBe("openai-compatible:llama3.2");
  });

  it("reads the timeout, context budget, key and fault injection", () => {
    const config = parseAiConfig({
      AI_BASE_URL: "https://api.example.com/v1",
      AI_MODEL: "m",
      AI_API_KEY: "sk-1",
      AI_TIMEOUT_MS: "1500",
      AI_CONTEXT_TOKENS: "8000",
      REPLY_FAULT_INJECTION: "1",
    });
    expect(config).toMatchObject({
      apiKey: "sk-1",
      timeoutMs: 1500,
      contextTokens: 8000,
      faultInjection: true,
    });
    expect(
      getReplyEngine({
        AI_BASE_URL: "https://api.example.com/v1",
        AI_MODEL: "m",
        REPLY_FAULT_INJECTION: "1",
      }).id,
    ).toBe("openai-compatible:m+fault-injection");
  });

  it("refuses AI_BASE_URL or AI_MODEL alone with one clear sentence", () => {
    for (const env of [
      { AI_BASE_URL: "https://api.example.com/v1" },
      { AI_MODEL: "gpt-4o-mini" },
    ]) {
      const error = errorOf(() => getReplyEngine(env));
      expect(error.message).toMatch(/^AI_BASE_URL and AI_MODEL must be set together/);
      expectOneSentence(error.message);
    }
  });

  it("refuses malformed numbers, URLs and flags with one sentence naming the setting", () => {
    const base = { AI_BASE_URL: "https://api.example.com/v1", AI_MODEL: "m" };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, AI_TIMEOUT_MS: "soon" }, "AI_TIMEOUT_MS"],
      [{ ...base, AI_TIMEOUT_MS: "0" }, "AI_TIMEOUT_MS"],
      [{ ...base, AI_CONTEXT_TOKENS: "-5" }, "AI_CONTEXT_TOKENS"],
      [{ AI_BASE_URL: "localhost:11434", AI_MODEL: "m" }, "AI_BASE_URL"],
      [{ BUILTIN_ENGINE_DELAY_MS: "fast" }, "BUILTIN_ENGINE_DELAY_MS"],
      [{ REPLY_FAULT_INJECTION: "yes" }, "REPLY_FAULT_INJECTION"],
    ];
    for (const [env, name] of cases) {
      const error = errorOf(() => parseAiConfig(env));
      expect(error.message.startsWith(name)).toBe(true);
      expectOneSentence(error.message);
    }
  });

  it("keeps one engine per process while the settings stay the same", () => {
    const env = { BUILTIN_ENGINE_DELAY_MS: "0" };
    const first = getReplyEngine(env);
    expect(getReplyEngine({ ...env })).toBe(first);
    expect(getReplyEngine({ BUILTIN_ENGINE_DELAY_MS: "5" })).not.toBe(first);
  });
});
