// The one streamText call every engine goes through: the persona's prompt within the context
// budget, the length cap, the timeout and the caller's abort signal, and exactly one outcome
// (the whole text, or why it failed) handed to the caller before the stream ends.

import type { LanguageModelV4 } from "@ai-sdk/provider";
import { streamText, wrapLanguageModel } from "ai";
import type { AiSettings } from "@/lib/config";
import { abortedReply, emptyReply, failedReply, type ReplyEngineError } from "./reply-error";
import { limitReplyLength } from "./reply-length";
import { type ReplyRequest, replyPrompt } from "./reply-request";

/** A language model that can answer persona chats (AI SDK language-model specification v4). */
export type ReplyModel = LanguageModelV4;

/** How a reply ended: its whole text, or why it failed (nothing of a failed reply counts). */
export type ReplyOutcome = { text: string } | { failure: ReplyEngineError };

export type StreamReplyOptions<Result> = {
  model: ReplyModel;
  request: ReplyRequest;
  settings: Pick<AiSettings, "timeoutMs" | "contextTokens">;
  /** The reply is cut here and the model stopped. */
  maxChars: number;
  /** Cancels the reply, e.g. the request's signal when the client goes away. */
  abortSignal?: AbortSignal;
  /** Each piece of text as it arrives. */
  onDelta?: (delta: string) => void;
  /** Called once, when the reply ends; what it returns (or throws) is what streamReply does. */
  onEnd: (outcome: ReplyOutcome) => Promise<Result>;
};

/** Streams one reply to its end and settles it through `onEnd`. */
export async function streamReply<Result>(options: StreamReplyOptions<Result>): Promise<Result> {
  let ended: Promise<Result> | undefined;
  // The first outcome wins: streamText reports an error, then also ends the same reply.
  const end = (outcome: ReplyOutcome) => {
    ended ??= options.onEnd(outcome);
    return ended;
  };

  const result = streamText({
    model: wrapLanguageModel({
      model: options.model,
      middleware: limitReplyLength(options.maxChars),
    }),
    ...replyPrompt(options.request, options.settings.contextTokens),
    // A failed reply is reported at once; the user retries.
    maxRetries: 0,
    timeout: options.settings.timeoutMs,
    abortSignal: options.abortSignal,
    // Each callback waits for onEnd, so the stream ends only after the outcome is handled.
    onError: async ({ error }) => {
      await end({ failure: failedReply(error) });
    },
    onAbort: async ({ reason }) => {
      await end({ failure: abortedReply(reason ?? options.abortSignal?.reason) });
    },
    onEnd: async ({ text, finishReason }) => {
      if (finishReason === "error") await end({ failure: failedReply(undefined) });
      else await end(text.trim() === "" ? { failure: emptyReply() } : { text });
    },
  });

  try {
    for await (const delta of result.textStream) options.onDelta?.(delta);
  } catch (error) {
    end({ failure: failedReply(error) });
  }
  return end({ failure: failedReply(new Error("The reply stream ended without an outcome.")) });
}
