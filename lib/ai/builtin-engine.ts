// The built-in offline persona engine: answers in each persona's voice without any model or
// network, streaming word by word like a real model, for demos and local development.

import { composeBuiltinReply } from "./builtin-reply";
import { type ReplyEngine, ReplyEngineError, type ReplyRequest } from "./types";

export const DEFAULT_BUILTIN_DELAY_MS = 15;

export type BuiltinEngineOptions = {
  /** Pause before each word-sized chunk; 0 streams as fast as the consumer reads. */
  delayMs?: number;
  /** Where BUILTIN_ENGINE_DELAY_MS is read from when `delayMs` is not given. */
  env?: Record<string, string | undefined>;
};

/** Reads BUILTIN_ENGINE_DELAY_MS; undefined when unset or not a non-negative whole number. */
export function builtinDelayFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.BUILTIN_ENGINE_DELAY_MS?.trim();
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function abortedError(signal: AbortSignal): ReplyEngineError {
  return new ReplyEngineError("aborted", "The reply was cancelled before it finished.", {
    cause: signal.reason,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      if (signal) reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Splits a reply into word-sized chunks that keep their trailing whitespace, so they concatenate back exactly. */
export function toWordChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export function createBuiltinEngine(options: BuiltinEngineOptions = {}): ReplyEngine {
  const delayMs =
    options.delayMs ?? builtinDelayFromEnv(options.env ?? process.env) ?? DEFAULT_BUILTIN_DELAY_MS;

  return {
    id: "builtin",
    async *streamReply(req: ReplyRequest): AsyncIterable<string> {
      const { signal } = req;
      const reply = composeBuiltinReply(req.persona, req.history);
      for (const chunk of toWordChunks(reply)) {
        if (signal?.aborted) throw abortedError(signal);
        if (delayMs > 0) await sleep(delayMs, signal);
        yield chunk;
      }
    },
  };
}
