// The settings (lib/config.ts): every variable parsed once, defaults, the mode, and one sentence
// naming the setting to fix when a value is bad.

import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";

const SECRET = "s".repeat(32);

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`Expected a ConfigError for ${JSON.stringify(env)}.`);
}

function expectOneSentence(message: string): void {
  expect(message).not.toContain("\n");
  expect(message).toMatch(/^[A-Z].*\.$/);
  expect(message.split(/\.\s+[A-Z]/)).toHaveLength(1);
}

describe("settings", () => {
  it("runs embedded with the built-in engine and the documented defaults when nothing is set", () => {
    expect(parseConfig({})).toEqual({
      mode: "embedded",
      databaseUrl: null,
      supabase: null,
      guestMessageLimit: 10,
      appSecret: null,
      pgliteDir: ".data/pglite",
      ai: {
        model: { kind: "builtin", delayMs: 15 },
        timeoutMs: 30_000,
        contextTokens: 4_000,
        faultInjection: false,
      },
      limits: {
        guestSessionsPerIpPerHour: 20,
        guestMessagesPerIpPerDay: 200,
        guestConversationsPerSession: 20,
        userMessagesPerDay: 1_000,
        retriesPerMessage: 3,
        signUpsPerIpPerHour: 10,
        clientIpHeader: "x-forwarded-for",
      },
      voice: { elevenlabs: null, maxSpeechChars: 1_000, synthesisTimeoutMs: 15_000 },
      healthToken: null,
      production: false,
    });
  });

  it("treats blank values as unset", () => {
    const config = parseConfig({
      AI_BASE_URL: "",
      AI_MODEL: "  ",
      AI_TIMEOUT_MS: "",
      PGLITE_DIR: " ",
    });
    expect(config.ai.model.kind).toBe("builtin");
    expect(config.ai.timeoutMs).toBe(30_000);
    expect(config.pgliteDir).toBe(".data/pglite");
  });

  it("chooses postgres mode for DATABASE_URL and supabase mode for the three Supabase values", () => {
    const pg = parseConfig({ DATABASE_URL: "postgres://u@h/db", APP_SECRET: SECRET });
    expect(pg).toMatchObject({
      mode: "postgres",
      databaseUrl: "postgres://u@h/db",
      supabase: null,
    });
    const sb = parseConfig({
      NEXT_PUBLIC_SUPABASE_URL: "https://xyz.supabase.co",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon",
      SUPABASE_SERVICE_ROLE_KEY: "service",
      APP_SECRET: SECRET,
    });
    expect(sb).toMatchObject({
      mode: "supabase",
      databaseUrl: null,
      supabase: { url: "https://xyz.supabase.co", publishableKey: "anon", secretKey: "service" },
    });
  });

  it("uses an OpenAI-compatible model when AI_BASE_URL and AI_MODEL are both set", () => {
    const config = parseConfig({
      AI_BASE_URL: "https://api.example.com/v1",
      AI_MODEL: "m",
      AI_API_KEY: "sk-1",
      AI_TIMEOUT_MS: "1500",
      AI_CONTEXT_TOKENS: "8000",
      REPLY_FAULT_INJECTION: "1",
    });
    expect(config.ai).toEqual({
      model: {
        kind: "openai-compatible",
        baseURL: "https://api.example.com/v1",
        apiKey: "sk-1",
        model: "m",
      },
      timeoutMs: 1500,
      contextTokens: 8000,
      faultInjection: true,
    });
    expect(parseConfig({ BUILTIN_ENGINE_DELAY_MS: "0" }).ai.model).toEqual({
      kind: "builtin",
      delayMs: 0,
    });
  });

  it("reads the abuse limits, the client address header and the health token", () => {
    const config = parseConfig({
      GUEST_SESSIONS_PER_IP_PER_HOUR: "3",
      GUEST_MESSAGES_PER_IP_PER_DAY: "40",
      GUEST_CONVERSATIONS_PER_SESSION: "5",
      USER_MESSAGES_PER_DAY: "300",
      RETRIES_PER_MESSAGE: "0",
      CLIENT_IP_HEADER: "X-Real-IP",
      HEALTH_TOKEN: "h".repeat(16),
    });
    expect(config.limits).toEqual({
      guestSessionsPerIpPerHour: 3,
      guestMessagesPerIpPerDay: 40,
      guestConversationsPerSession: 5,
      userMessagesPerDay: 300,
      retriesPerMessage: 0,
      signUpsPerIpPerHour: 10,
      clientIpHeader: "x-real-ip",
    });
    expect(config.healthToken).toBe("h".repeat(16));
  });

  it("uses ElevenLabs for speech when its key is set, and refuses its other settings without the key", () => {
    const config = parseConfig({
      ELEVENLABS_API_KEY: "xi-key",
      ELEVENLABS_BASE_URL: "http://127.0.0.1:9999/",
      ELEVENLABS_AGENT_ID: "agent_123",
      VOICE_MAX_CHARS: "500",
    });
    expect(config.voice).toEqual({
      elevenlabs: {
        apiKey: "xi-key",
        baseUrl: "http://127.0.0.1:9999",
        agentId: "agent_123",
        ttsModel: "eleven_flash_v2_5",
        sttModel: "scribe_v1",
        timeoutMs: 20_000,
      },
      maxSpeechChars: 500,
      synthesisTimeoutMs: 15_000,
    });
    for (const name of ["ELEVENLABS_AGENT_ID", "ELEVENLABS_BASE_URL"]) {
      const error = errorOf({
        [name]: name === "ELEVENLABS_AGENT_ID" ? "agent_1" : "https://x.test",
      });
      expect(error.message.startsWith(`${name} is set but ELEVENLABS_API_KEY is not`)).toBe(true);
      expectOneSentence(error.message);
    }
  });

  it("marks cookies Secure only in production", () => {
    expect(parseConfig({ NODE_ENV: "production" }).production).toBe(true);
    expect(parseConfig({ NODE_ENV: "development" }).production).toBe(false);
  });

  it("refuses contradictory or incomplete settings with one sentence", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { AI_BASE_URL: "https://api.example.com/v1" },
        /^AI_BASE_URL and AI_MODEL must be set together/,
      ],
      [{ AI_MODEL: "gpt-4o-mini" }, /^AI_BASE_URL and AI_MODEL must be set together/],
      [{ NEXT_PUBLIC_SUPABASE_URL: "https://x.supabase.co" }, /^Supabase mode needs/],
      [
        {
          NEXT_PUBLIC_SUPABASE_URL: "https://x.supabase.co",
          NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "p",
          SUPABASE_SECRET_KEY: "s",
          DATABASE_URL: "postgres://u@h/db",
          APP_SECRET: SECRET,
        },
        /^Set either the Supabase variables or DATABASE_URL/,
      ],
      [{ DATABASE_URL: "postgres://u@h/db" }, /^APP_SECRET is required in postgres mode/],
      [{ APP_SECRET: "short" }, /^APP_SECRET must be at least 32 characters/],
    ];
    for (const [env, pattern] of cases) {
      const error = errorOf(env);
      expect(error.message).toMatch(pattern);
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
      [{ GUEST_MESSAGE_LIMIT: "abc" }, "GUEST_MESSAGE_LIMIT"],
      [{ GUEST_MESSAGE_LIMIT: "10001" }, "GUEST_MESSAGE_LIMIT"],
      [{ DATABASE_URL: "mysql://x", APP_SECRET: SECRET }, "DATABASE_URL"],
      [{ GUEST_SESSIONS_PER_IP_PER_HOUR: "0" }, "GUEST_SESSIONS_PER_IP_PER_HOUR"],
      [{ GUEST_MESSAGES_PER_IP_PER_DAY: "many" }, "GUEST_MESSAGES_PER_IP_PER_DAY"],
      [{ GUEST_CONVERSATIONS_PER_SESSION: "1.5" }, "GUEST_CONVERSATIONS_PER_SESSION"],
      [{ USER_MESSAGES_PER_DAY: "0" }, "USER_MESSAGES_PER_DAY"],
      [{ RETRIES_PER_MESSAGE: "101" }, "RETRIES_PER_MESSAGE"],
      [{ RETRIES_PER_MESSAGE: "-1" }, "RETRIES_PER_MESSAGE"],
      [{ CLIENT_IP_HEADER: "cf-connecting-ip" }, "CLIENT_IP_HEADER"],
      [{ HEALTH_TOKEN: "short" }, "HEALTH_TOKEN"],
      [{ ELEVENLABS_API_KEY: "k", ELEVENLABS_BASE_URL: "ftp://x" }, "ELEVENLABS_BASE_URL"],
      [{ ELEVENLABS_API_KEY: "k", ELEVENLABS_AGENT_ID: "not ok!" }, "ELEVENLABS_AGENT_ID"],
      [{ VOICE_MAX_CHARS: "50" }, "VOICE_MAX_CHARS"],
    ];
    for (const [env, name] of cases) {
      const error = errorOf(env);
      expect(error.message.startsWith(name)).toBe(true);
      expectOneSentence(error.message);
    }
  });
});
