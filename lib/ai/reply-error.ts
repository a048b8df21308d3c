// Why a reply failed, in a handful of reasons the chat domain can act on, from whatever the AI
// SDK reported: an error in the stream, or the reason the call was aborted.

import { APICallError } from "ai";

export type ReplyEngineErrorReason = "timeout" | "aborted" | "upstream" | "malformed" | "injected";

export class ReplyEngineError extends Error {
  // A field rather than a constructor parameter property, so type-stripping tools can run this.
  readonly reason: ReplyEngineErrorReason;

  constructor(reason: ReplyEngineErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReplyEngineError";
    this.reason = reason;
  }
}

const MESSAGES: Record<ReplyEngineErrorReason, string> = {
  timeout: "The model did not finish its reply in time.",
  aborted: "The reply was cancelled before it finished.",
  upstream: "The model API failed to answer.",
  malformed: "The model API sent a reply that could not be read.",
  injected: "A reply failure was injected for testing.",
};

// The SDK's names for stream chunks it could not parse or validate.
const MALFORMED = new Set([
  "AI_JSONParseError",
  "AI_TypeValidationError",
  "AI_InvalidResponseDataError",
  "AI_EmptyResponseBodyError",
]);

const nameOf = (error: unknown) => (error instanceof Error ? error.name : "");

/** The reason streamText was aborted: its `timeout` (a TimeoutError), or the caller's signal. */
export function abortedReply(reason: unknown): ReplyEngineError {
  const why = nameOf(reason) === "TimeoutError" ? "timeout" : "aborted";
  return new ReplyEngineError(why, MESSAGES[why], { cause: reason });
}

/** An error from the reply's stream (a model error, an injected failure, a broken chunk). */
export function failedReply(error: unknown): ReplyEngineError {
  if (error instanceof ReplyEngineError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (nameOf(error) === "TimeoutError" || nameOf(error) === "AbortError")
    return abortedReply(error);
  if (MALFORMED.has(nameOf(error)) || MALFORMED.has(nameOf(cause))) {
    return new ReplyEngineError("malformed", MESSAGES.malformed, { cause: error });
  }
  const status = APICallError.isInstance(error) ? error.statusCode : undefined;
  const message = status ? `The model API answered HTTP ${status}.` : MESSAGES.upstream;
  return new ReplyEngineError("upstream", message, { cause: error });
}

/** A reply that ended without any text. */
export function emptyReply(): ReplyEngineError {
  return new ReplyEngineError("malformed", "The model sent an empty reply.");
}
