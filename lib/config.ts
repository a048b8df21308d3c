// Every setting of the app, read from the environment once and validated here with zod. A bad
// setting stops start-up with one sentence (ConfigError, see instrumentation.ts), never a stack
// trace. Nothing else in app/, components/, lib/ or proxy.ts reads process.env.

import "server-only";
import { z } from "zod";
import type { VoiceSettings } from "@/lib/voice/types";

export type Mode = "supabase" | "postgres" | "embedded";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Which model answers: the built-in persona engine (offline) or an OpenAI-compatible API. */
export type AiModelSettings =
  | { kind: "builtin"; delayMs: number }
  | { kind: "openai-compatible"; baseURL: string; apiKey: string | null; model: string };

export type AiSettings = {
  model: AiModelSettings;
  /** A reply that takes longer fails (the user's message stays saved; Retry). */
  timeoutMs: number;
  /** Estimated prompt budget: system prompt plus as much recent history as fits. */
  contextTokens: number;
  /** Testing: a message containing `#fail-once` fails its first reply. */
  faultInjection: boolean;
};

/** Limits that bound what anonymous visitors (and each account) can cost, counted in the database. */
export type LimitSettings = {
  guestSessionsPerIpPerHour: number;
  guestMessagesPerIpPerDay: number;
  guestConversationsPerSession: number;
  /** Replies (messages, retries, regenerations) per signed-in account per day. */
  userMessagesPerDay: number;
  /** How often one message's reply may be retried or regenerated. */
  retriesPerMessage: number;
  /** Built-in sign-in: sign-ups per address per hour. */
  signUpsPerIpPerHour: number;
  /** Request header holding the client address that the deployment's proxy sets. */
  clientIpHeader: "x-forwarded-for" | "x-real-ip";
};

export type AppConfig = {
  mode: Mode;
  guestMessageLimit: number;
  /** Signs guest cookies and local sessions. Null in embedded mode until lib/auth/secret.ts makes one. */
  appSecret: string | null;
  databaseUrl: string | null;
  pgliteDir: string;
  supabase: { url: string; publishableKey: string; secretKey: string } | null;
  ai: AiSettings;
  limits: LimitSettings;
  /** Speech: ElevenLabs when ELEVENLABS_API_KEY is set, else the built-in voice (no speech-to-text). */
  voice: VoiceSettings;
  /** Unlocks the details of /api/health (call counts); without it, /api/health says only ok. */
  healthToken: string | null;
  /** NODE_ENV=production: cookies are marked Secure. */
  production: boolean;
};

export const DEFAULTS = {
  guestMessageLimit: 10,
  pgliteDir: ".data/pglite",
  builtinDelayMs: 15,
  aiTimeoutMs: 30_000,
  aiContextTokens: 4_000,
  guestSessionsPerIpPerHour: 20,
  guestMessagesPerIpPerDay: 200,
  guestConversationsPerSession: 20,
  userMessagesPerDay: 1_000,
  retriesPerMessage: 3,
  signUpsPerIpPerHour: 10,
  clientIpHeader: "x-forwarded-for",
  elevenlabsBaseUrl: "https://api.elevenlabs.io",
  elevenlabsTimeoutMs: 20_000,
  voiceMaxChars: 1_000,
  voiceSynthesisTimeoutMs: 15_000,
} as const;

type Env = Record<string, string | undefined>;

// `.env` files often hold `AI_MODEL=` with nothing after it; that means "unset", not "empty".
const blankToUndefined = (value: unknown) => {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
};

const text = z.preprocess(blankToUndefined, z.string().optional());

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** A whole number within [min, max], or unset; the message names the setting and its unit. */
const wholeNumber = (name: string, unit: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  text
    .refine(
      (value) => value === undefined || (/^\d+$/.test(value) && +value >= min && +value <= max),
      {
        message:
          max === Number.MAX_SAFE_INTEGER
            ? `${name} must be a whole number of ${unit} (${min === 0 ? "0 or more" : `at least ${min}`}).`
            : `${name} must be a whole number from ${min} to ${max}.`,
      },
    )
    .transform((value) => (value === undefined ? undefined : Number(value)));

const flag = (name: string) =>
  text.refine((value) => value === undefined || value === "0" || value === "1", {
    message: `${name} must be "1" (on) or "0" (off) when set.`,
  });

const EnvSchema = z.object({
  NEXT_PUBLIC_SUPABASE_URL: text,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: text,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: text,
  SUPABASE_SECRET_KEY: text,
  SUPABASE_SERVICE_ROLE_KEY: text,
  DATABASE_URL: text,
  PGLITE_DIR: text,
  APP_SECRET: text,
  GUEST_MESSAGE_LIMIT: wholeNumber("GUEST_MESSAGE_LIMIT", "messages", 0, 10_000),
  AI_BASE_URL: text.refine((value) => value === undefined || isHttpUrl(value), {
    message: "AI_BASE_URL must be an http(s) URL such as https://api.openai.com/v1.",
  }),
  AI_API_KEY: text,
  AI_MODEL: text,
  AI_TIMEOUT_MS: wholeNumber("AI_TIMEOUT_MS", "milliseconds", 1),
  AI_CONTEXT_TOKENS: wholeNumber("AI_CONTEXT_TOKENS", "tokens", 1),
  BUILTIN_ENGINE_DELAY_MS: wholeNumber("BUILTIN_ENGINE_DELAY_MS", "milliseconds", 0),
  REPLY_FAULT_INJECTION: flag("REPLY_FAULT_INJECTION"),
  GUEST_SESSIONS_PER_IP_PER_HOUR: wholeNumber("GUEST_SESSIONS_PER_IP_PER_HOUR", "sessions", 1),
  GUEST_MESSAGES_PER_IP_PER_DAY: wholeNumber("GUEST_MESSAGES_PER_IP_PER_DAY", "messages", 1),
  GUEST_CONVERSATIONS_PER_SESSION: wholeNumber(
    "GUEST_CONVERSATIONS_PER_SESSION",
    "conversations",
    1,
  ),
  USER_MESSAGES_PER_DAY: wholeNumber("USER_MESSAGES_PER_DAY", "messages", 1),
  RETRIES_PER_MESSAGE: wholeNumber("RETRIES_PER_MESSAGE", "retries", 0, 100),
  SIGNUPS_PER_IP_PER_HOUR: wholeNumber("SIGNUPS_PER_IP_PER_HOUR", "sign-ups", 1),
  CLIENT_IP_HEADER: text
    .transform((value) => value?.toLowerCase())
    .refine(
      (value) => value === undefined || value === "x-forwarded-for" || value === "x-real-ip",
      {
        message: 'CLIENT_IP_HEADER must be "x-forwarded-for" or "x-real-ip".',
      },
    ),
  ELEVENLABS_API_KEY: text,
  ELEVENLABS_BASE_URL: text.refine((value) => value === undefined || isHttpUrl(value), {
    message: "ELEVENLABS_BASE_URL must be an http(s) URL such as https://api.elevenlabs.io.",
  }),
  ELEVENLABS_AGENT_ID: text.refine(
    (value) => value === undefined || /^[A-Za-z0-9_-]{1,128}$/.test(value),
    {
      message: "ELEVENLABS_AGENT_ID must be an ElevenLabs agent id (letters, digits, _ and -).",
    },
  ),
  ELEVENLABS_TIMEOUT_MS: wholeNumber("ELEVENLABS_TIMEOUT_MS", "milliseconds", 1),
  VOICE_MAX_CHARS: wholeNumber("VOICE_MAX_CHARS", "characters", 100, 5_000),
  VOICE_SYNTHESIS_TIMEOUT_MS: wholeNumber("VOICE_SYNTHESIS_TIMEOUT_MS", "milliseconds", 1_000),
  HEALTH_TOKEN: text.refine((value) => value === undefined || value.length >= 16, {
    message: "HEALTH_TOKEN must be at least 16 characters long when set.",
  }),
  NODE_ENV: text,
});

type ParsedEnv = z.infer<typeof EnvSchema>;

function chooseMode(e: ParsedEnv): Pick<AppConfig, "mode" | "databaseUrl" | "supabase"> {
  const publishableKey = e.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? e.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  const secretKey = e.SUPABASE_SECRET_KEY ?? e.SUPABASE_SERVICE_ROLE_KEY;
  const url = e.NEXT_PUBLIC_SUPABASE_URL;
  if (url || publishableKey || secretKey) {
    if (!url || !publishableKey || !secretKey) {
      throw new ConfigError(
        "Supabase mode needs NEXT_PUBLIC_SUPABASE_URL, NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY (or NEXT_PUBLIC_SUPABASE_ANON_KEY) and SUPABASE_SECRET_KEY (or SUPABASE_SERVICE_ROLE_KEY) together; set all three or none.",
      );
    }
    if (e.DATABASE_URL) {
      throw new ConfigError(
        "Set either the Supabase variables or DATABASE_URL, not both: the app talks to one database.",
      );
    }
    if (!URL.canParse(url)) {
      throw new ConfigError(
        "NEXT_PUBLIC_SUPABASE_URL must be a URL such as https://xyz.supabase.co.",
      );
    }
    return { mode: "supabase", databaseUrl: null, supabase: { url, publishableKey, secretKey } };
  }
  if (e.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(e.DATABASE_URL) || !URL.canParse(e.DATABASE_URL)) {
      throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// connection URL.");
    }
    return { mode: "postgres", databaseUrl: e.DATABASE_URL, supabase: null };
  }
  return { mode: "embedded", databaseUrl: null, supabase: null };
}

function chooseVoice(e: ParsedEnv): VoiceSettings {
  const key = e.ELEVENLABS_API_KEY;
  if (!key && (e.ELEVENLABS_AGENT_ID || e.ELEVENLABS_BASE_URL)) {
    const which = e.ELEVENLABS_AGENT_ID ? "ELEVENLABS_AGENT_ID" : "ELEVENLABS_BASE_URL";
    throw new ConfigError(
      `${which} is set but ELEVENLABS_API_KEY is not: set the key to use ElevenLabs, or unset ${which} to use the built-in voice.`,
    );
  }
  return {
    elevenlabs: key
      ? {
          apiKey: key,
          baseUrl: (e.ELEVENLABS_BASE_URL ?? DEFAULTS.elevenlabsBaseUrl).replace(/\/+$/, ""),
          agentId: e.ELEVENLABS_AGENT_ID ?? null,
          ttsModel: "eleven_flash_v2_5",
          sttModel: "scribe_v1",
          timeoutMs: e.ELEVENLABS_TIMEOUT_MS ?? DEFAULTS.elevenlabsTimeoutMs,
        }
      : null,
    maxSpeechChars: e.VOICE_MAX_CHARS ?? DEFAULTS.voiceMaxChars,
    synthesisTimeoutMs: e.VOICE_SYNTHESIS_TIMEOUT_MS ?? DEFAULTS.voiceSynthesisTimeoutMs,
  };
}

function chooseModel(e: ParsedEnv): AiModelSettings {
  if (e.AI_BASE_URL === undefined && e.AI_MODEL === undefined) {
    return { kind: "builtin", delayMs: e.BUILTIN_ENGINE_DELAY_MS ?? DEFAULTS.builtinDelayMs };
  }
  // Either one alone would silently fall back to the built-in engine when a model was meant.
  if (e.AI_BASE_URL === undefined || e.AI_MODEL === undefined) {
    const onlySet = e.AI_BASE_URL === undefined ? "AI_MODEL" : "AI_BASE_URL";
    throw new ConfigError(
      `AI_BASE_URL and AI_MODEL must be set together, but only ${onlySet} is set: set both to use an OpenAI-compatible model, or neither to use the built-in persona engine.`,
    );
  }
  return {
    kind: "openai-compatible",
    baseURL: e.AI_BASE_URL,
    apiKey: e.AI_API_KEY ?? null,
    model: e.AI_MODEL,
  };
}

/** Parses the given environment (the process's by default); throws ConfigError with one sentence. */
export function parseConfig(env: Env = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues[0]?.message ?? "The settings are invalid.");
  }
  const e = parsed.data;
  const where = chooseMode(e);
  if (where.mode !== "embedded" && !e.APP_SECRET) {
    throw new ConfigError(
      `APP_SECRET is required in ${where.mode} mode: set it to a random string of at least 32 characters (openssl rand -base64 32).`,
    );
  }
  if (e.APP_SECRET && e.APP_SECRET.length < 32) {
    throw new ConfigError("APP_SECRET must be at least 32 characters long.");
  }
  return {
    ...where,
    guestMessageLimit: e.GUEST_MESSAGE_LIMIT ?? DEFAULTS.guestMessageLimit,
    appSecret: e.APP_SECRET ?? null,
    pgliteDir: e.PGLITE_DIR ?? DEFAULTS.pgliteDir,
    ai: {
      model: chooseModel(e),
      timeoutMs: e.AI_TIMEOUT_MS ?? DEFAULTS.aiTimeoutMs,
      contextTokens: e.AI_CONTEXT_TOKENS ?? DEFAULTS.aiContextTokens,
      faultInjection: e.REPLY_FAULT_INJECTION === "1",
    },
    limits: {
      guestSessionsPerIpPerHour:
        e.GUEST_SESSIONS_PER_IP_PER_HOUR ?? DEFAULTS.guestSessionsPerIpPerHour,
      guestMessagesPerIpPerDay:
        e.GUEST_MESSAGES_PER_IP_PER_DAY ?? DEFAULTS.guestMessagesPerIpPerDay,
      guestConversationsPerSession:
        e.GUEST_CONVERSATIONS_PER_SESSION ?? DEFAULTS.guestConversationsPerSession,
      userMessagesPerDay: e.USER_MESSAGES_PER_DAY ?? DEFAULTS.userMessagesPerDay,
      retriesPerMessage: e.RETRIES_PER_MESSAGE ?? DEFAULTS.retriesPerMessage,
      signUpsPerIpPerHour: e.SIGNUPS_PER_IP_PER_HOUR ?? DEFAULTS.signUpsPerIpPerHour,
      clientIpHeader:
        (e.CLIENT_IP_HEADER as LimitSettings["clientIpHeader"] | undefined) ??
        DEFAULTS.clientIpHeader,
    },
    voice: chooseVoice(e),
    healthToken: e.HEALTH_TOKEN ?? null,
    production: e.NODE_ENV === "production",
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig();
  return cached;
}

/**
 * For tests: the settings that `env` describes (parsed as at start-up), or back to the process's
 * own environment when called without one.
 */
export function setConfigForTests(env?: Env): AppConfig | undefined {
  cached = env ? parseConfig(env) : undefined;
  return cached;
}

/**
 * Called once by instrumentation.ts: on a bad setting, prints the sentence and stops the process.
 * Skipped outside the Node.js runtime and during `next build`, which does not depend on them.
 * True when this is a server starting on valid settings (so start-up work may follow).
 */
export function checkConfigAtStartup(): boolean {
  if (process.env.NEXT_RUNTIME !== "nodejs") return false;
  if (process.env.NEXT_PHASE === "phase-production-build") return false;
  try {
    getConfig();
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return stopStartup(error.message);
  }
}

/** Prints why the server cannot start, in one sentence, and stops it. */
export function stopStartup(sentence: string): never {
  console.error(`\nPersona Chat cannot start: ${sentence}\n`);
  process.exit(1);
}
