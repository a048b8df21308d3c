// Lets end-to-end tests force one reply failure on demand, to exercise the retry and "errored"
// paths against a real server; inert unless REPLY_FAULT_INJECTION=1.

import { type ReplyEngine, ReplyEngineError, type ReplyRequest } from "./types";

/** A user message containing this token fails its first reply attempt. */
export const FAIL_ONCE_TOKEN = "#fail-once";

/** How many chunks of the real reply stream before the injected failure, so partial text is exercised too. */
export const CHUNKS_BEFORE_FAILURE = 3;

// Remembers which messages already had their one failure. Bounded so a long-running server with
// the flag on cannot grow it without limit; the oldest entries go first (Map keeps insertion order).
const MAX_REMEMBERED = 1_000;
const failedOnce = new Map<string, true>();

function remember(key: string): void {
  failedOnce.set(key, true);
  while (failedOnce.size > MAX_REMEMBERED) {
    const oldest = failedOnce.keys().next().value;
    if (oldest === undefined) break;
    failedOnce.delete(oldest);
  }
}

/** Forgets every injected failure; for tests that reuse message ids. */
export function resetFaultInjection(): void {
  failedOnce.clear();
}

function lastUserMessage(req: ReplyRequest): string | undefined {
  for (let i = req.history.length - 1; i >= 0; i--) {
    const turn = req.history[i];
    if (turn?.role === "user") return turn.content;
  }
  return undefined;
}

export function isFaultInjectionEnabled(env: Record<string, string | undefined>): boolean {
  return env.REPLY_FAULT_INJECTION?.trim() === "1";
}

/**
 * Wraps an engine so that, when enabled (by default: when REPLY_FAULT_INJECTION=1), the first
 * reply attempt for a message containing "#fail-once" streams a few chunks and then throws
 * ReplyEngineError("injected"); the next attempt for the same messageId succeeds. When disabled
 * the engine is returned as is.
 */
export function withFaultInjection(
  engine: ReplyEngine,
  enabled: boolean = isFaultInjectionEnabled(process.env),
): ReplyEngine {
  if (!enabled) return engine;

  return {
    id: `${engine.id}+fault-injection`,
    async *streamReply(req: ReplyRequest): AsyncIterable<string> {
      const content = lastUserMessage(req);
      // Retries are recognised by messageId; without one, the message text stands in for it.
      const key = req.messageId ?? `content:${content ?? ""}`;
      if (!content?.includes(FAIL_ONCE_TOKEN) || failedOnce.has(key)) {
        yield* engine.streamReply(req);
        return;
      }
      remember(key);
      let streamed = 0;
      for await (const chunk of engine.streamReply(req)) {
        yield chunk;
        streamed += 1;
        // Leaving the loop closes the inner stream, so a real upstream request is cancelled too.
        if (streamed >= CHUNKS_BEFORE_FAILURE) break;
      }
      throw new ReplyEngineError(
        "injected",
        `Injected reply failure for message ${key} (${FAIL_ONCE_TOKEN}).`,
      );
    },
  };
}
