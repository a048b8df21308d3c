// Lets end-to-end tests force one reply failure on demand, to exercise the retry and "errored"
// paths against a real server, or a slow reply, to press Stop while it streams: language-model
// middleware, applied only when the settings turn fault injection on (REPLY_FAULT_INJECTION=1).

import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import type { LanguageModelMiddleware } from "ai";
import { ReplyEngineError } from "./reply-error";
import { replyCallInfo, turnsOf } from "./reply-request";

/** A user message containing this token fails its first reply attempt. */
export const FAIL_ONCE_TOKEN = "#fail-once";

/** A user message containing this token is answered slowly: each piece SLOW_PIECE_MS apart. */
export const SLOW_REPLY_TOKEN = "#slow-reply";
export const SLOW_PIECE_MS = 300;

/** How many pieces of the real reply stream before the failure, so partial text is exercised too. */
export const CHUNKS_BEFORE_FAILURE = 3;

// Which messages already had their one failure. Bounded so a long-running server with the flag
// on cannot grow it without limit; the oldest go first (a Set keeps insertion order).
const MAX_REMEMBERED = 1_000;
const failedOnce = new Set<string>();

/** Forgets every injected failure; for tests that reuse message ids. */
export function resetFaultInjection(): void {
  failedOnce.clear();
}

/** Fails the first attempt to answer a message containing FAIL_ONCE_TOKEN; retries succeed. */
export const failOnceMiddleware: LanguageModelMiddleware = {
  specificationVersion: "v4",
  async wrapStream({ doStream, params }) {
    const content = turnsOf(params.prompt).findLast((turn) => turn.role === "user")?.content ?? "";
    // A retry answers the same message id; without one, the message text stands in for it.
    const key = replyCallInfo(params).messageId || `content:${content}`;
    if (!content.includes(FAIL_ONCE_TOKEN) || failedOnce.has(key)) return doStream();

    failedOnce.add(key);
    for (const oldest of failedOnce) {
      if (failedOnce.size <= MAX_REMEMBERED) break;
      failedOnce.delete(oldest);
    }
    const result = await doStream();
    let pieces = 0;
    const failAfterAFewPieces = new TransformStream<
      LanguageModelV4StreamPart,
      LanguageModelV4StreamPart
    >({
      transform(part, controller) {
        controller.enqueue(part);
        if (part.type !== "text-delta" || ++pieces < CHUNKS_BEFORE_FAILURE) return;
        const message = `Injected reply failure for message ${key} (${FAIL_ONCE_TOKEN}).`;
        controller.enqueue({ type: "error", error: new ReplyEngineError("injected", message) });
        // Ends this stream and cancels the model's, so a real upstream request is closed too.
        controller.terminate();
      },
    });
    return { ...result, stream: result.stream.pipeThrough(failAfterAFewPieces) };
  },
};

/** Spaces out the pieces of a reply to a message containing SLOW_REPLY_TOKEN. */
export const slowReplyMiddleware: LanguageModelMiddleware = {
  specificationVersion: "v4",
  async wrapStream({ doStream, params }) {
    const content = turnsOf(params.prompt).findLast((turn) => turn.role === "user")?.content ?? "";
    const result = await doStream();
    if (!content.includes(SLOW_REPLY_TOKEN)) return result;
    const slow = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
      async transform(part, controller) {
        if (part.type === "text-delta") {
          await new Promise((resolve) => setTimeout(resolve, SLOW_PIECE_MS));
        }
        controller.enqueue(part);
      },
    });
    return { ...result, stream: result.stream.pipeThrough(slow) };
  },
};
