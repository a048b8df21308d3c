// Entry point of the reply engine: reads the AI settings once and hands out the engine that
// answers persona chats (an OpenAI-compatible model, or the built-in offline engine).

import { z } from "zod";
import { createBuiltinEngine, DEFAULT_BUILTIN_DELAY_MS } from "./builtin-engine";
import { withFaultInjection } from "./fault-injection";
import {
  createOpenAICompatibleEngine,
  DEFAULT_CONTEXT_TOKENS,
  DEFAULT_TIMEOUT_MS,
} from "./openai-compatible-engine";
import type { ReplyEngine } from "./types";

export { createBuiltinEngine, DEFAULT_BUILTIN_DELAY_MS } from "./builtin-engine";
export { composeBuiltinReply } from "./builtin-reply";
export { estimateTokens, fitHistoryToBudget } from "./context-budget";
export { FAIL_ONCE_TOKEN, resetFaultInjection, withFaultInjection } from "./fault-injection";
export {
  createOpenAICompatibleEngine,
  DEFAULT_CONTEXT_TOKENS,
  DEFAULT_TIMEOUT_MS,
  type OpenAICompatibleEngineConfig,
} from "./openai-compatible-engine";
export {
  type ChatTurn,
  type PersonaForReply,
  type ReplyEngine,
  ReplyEngineError,
  type ReplyEngineErrorReason,
  type ReplyRequest,
} from "./types";

type Env = Record<string, string | undefined>;

/** A bad AI setting; its message is one sentence meant to be shown as is at start-up. */
export class AiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AiConfigError";
  }
}

export type AiConfig =
  | { engine: "builtin"; builtinDelayMs?: number; faultInjection: boolean }
  | {
      engine: "openai-compatible";
      baseURL: string;
      apiKey?: string;
      model: string;
      timeoutMs: number;
      contextTokens: number;
      faultInjection: boolean;
    };

// `.env` files often hold `AI_MODEL=` with nothing after it; that means "unset", not "empty model".
const blankToUndefined = (value: unknown) => {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
};

const optionalText = z.preprocess(blankToUndefined, z.string().optional());

const wholeNumber = (name: string, unit: string, min: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value !== undefined && (!/^\d+$/.test(value) || Number(value) < min)) {
          const bound = min === 0 ? "0 or more" : `at least ${min}`;
          ctx.addIssue({
            code: "custom",
            message: `${name} must be a whole number of ${unit} (${bound}), got "${value}".`,
          });
        }
      })
      .transform((value) => (value === undefined ? undefined : Number(value))),
  );

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const aiEnvSchema = z.object({
  AI_BASE_URL: optionalText.refine((value) => value === undefined || isHttpUrl(value), {
    message: "AI_BASE_URL must be an http(s) URL such as https://api.openai.com/v1.",
  }),
  AI_API_KEY: optionalText,
  AI_MODEL: optionalText,
  AI_TIMEOUT_MS: wholeNumber("AI_TIMEOUT_MS", "milliseconds", 1),
  AI_CONTEXT_TOKENS: wholeNumber("AI_CONTEXT_TOKENS", "tokens", 1),
  BUILTIN_ENGINE_DELAY_MS: wholeNumber("BUILTIN_ENGINE_DELAY_MS", "milliseconds", 0),
  REPLY_FAULT_INJECTION: optionalText.refine(
    (value) => value === undefined || value === "0" || value === "1",
    {
      message: 'REPLY_FAULT_INJECTION must be "1" (on) or "0" (off) when set.',
    },
  ),
});

/**
 * Reads the AI settings from the environment. Throws AiConfigError with one sentence naming the
 * setting to fix; AI_BASE_URL and AI_MODEL must come as a pair, because either one alone would
 * silently fall back to the built-in engine when the operator meant to use a model.
 */
export function parseAiConfig(env: Env = process.env): AiConfig {
  const parsed = aiEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AiConfigError(parsed.error.issues[0]?.message ?? "The AI settings are invalid.");
  }
  const settings = parsed.data;
  const faultInjection = settings.REPLY_FAULT_INJECTION === "1";

  if (settings.AI_BASE_URL === undefined && settings.AI_MODEL === undefined) {
    return { engine: "builtin", builtinDelayMs: settings.BUILTIN_ENGINE_DELAY_MS, faultInjection };
  }
  if (settings.AI_BASE_URL === undefined || settings.AI_MODEL === undefined) {
    const onlySet = settings.AI_BASE_URL === undefined ? "AI_MODEL" : "AI_BASE_URL";
    throw new AiConfigError(
      `AI_BASE_URL and AI_MODEL must be set together, but only ${onlySet} is set: set both to use an OpenAI-compatible model, or neither to use the built-in persona engine.`,
    );
  }
  return {
    engine: "openai-compatible",
    baseURL: settings.AI_BASE_URL,
    apiKey: settings.AI_API_KEY,
    model: settings.AI_MODEL,
    timeoutMs: settings.AI_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS,
    contextTokens: settings.AI_CONTEXT_TOKENS ?? DEFAULT_CONTEXT_TOKENS,
    faultInjection,
  };
}

/** Builds a fresh engine for the given settings, wrapped with fault injection when it is on. */
export function createReplyEngine(config: AiConfig): ReplyEngine {
  const engine =
    config.engine === "builtin"
      ? createBuiltinEngine({ delayMs: config.builtinDelayMs ?? DEFAULT_BUILTIN_DELAY_MS })
      : createOpenAICompatibleEngine({
          baseURL: config.baseURL,
          apiKey: config.apiKey,
          model: config.model,
          timeoutMs: config.timeoutMs,
          contextTokens: config.contextTokens,
        });
  return withFaultInjection(engine, config.faultInjection);
}

let cached: { key: string; engine: ReplyEngine } | undefined;

/**
 * The engine for this process, built on first use. Settings are re-read on each call (cheap),
 * and the engine is rebuilt only if they changed, so tests can switch settings while a server
 * keeps one engine for its lifetime.
 */
export function getReplyEngine(env: Env = process.env): ReplyEngine {
  const config = parseAiConfig(env);
  const key = JSON.stringify(config);
  if (cached?.key !== key) cached = { key, engine: createReplyEngine(config) };
  return cached.engine;
}
