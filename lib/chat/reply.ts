// Answering one user message: the reply (lib/ai's one streamText call) runs on the context the
// post (or retry) returned; then the reply is saved, or the conversation is marked `error` and
// the user message stays for a retry. Shared by the streamed and the JSON answer of the API.

import "server-only";
import { type AiSettings, type ReplyEngineError, type ReplyModel, streamReply } from "@/lib/ai";
import { AppError, toAppError } from "@/lib/errors";
import { postVoiceMessage, type VoiceRecording } from "@/lib/voice/message-audio";
import {
  postUserMessage,
  prepareRetry,
  saveAssistantMessage,
  setConversationStatus,
} from "./service";
import type { Actor, Conversation, Message, ReplyContext } from "./types";

/**
 * What starts a reply: a new message (counted against a guest's allowance), a voice message (the
 * same, with the transcript as its content and the recording kept beside it), or a retry.
 */
export type ReplyInput =
  | { kind: "message"; content: string }
  | { kind: "voice"; content: string; recording: VoiceRecording }
  | { kind: "retry" };

export type ReplyResult = { assistantMessage: Message; conversation: Conversation };

/** save_assistant_message refuses longer replies; a model that runs on is cut here instead. */
export const MAX_REPLY_CHARS = 32_000;

/**
 * One database round trip that saves the message (or finds the unanswered one, for a retry) and
 * returns everything the reply needs. Its errors (not_found, conversation_ended,
 * guest_limit_reached, nothing_to_retry, ...) happen before any reply starts.
 */
export function startReply(
  actor: Actor,
  conversationId: string,
  input: ReplyInput,
): Promise<ReplyContext> {
  if (input.kind === "retry") return prepareRetry(actor, conversationId);
  if (input.kind === "voice") {
    return postVoiceMessage(actor, conversationId, input.content, input.recording);
  }
  return postUserMessage(actor, conversationId, input.content);
}

export type RunReplyOptions = {
  actor: Actor;
  context: ReplyContext;
  /** The reply model (getReplyModel from lib/ai, or a test double). */
  model: ReplyModel;
  settings: Pick<AiSettings, "timeoutMs" | "contextTokens">;
  /** Cancels the reply: the client went away (the request's signal). */
  abortSignal?: AbortSignal;
  /** Each piece of reply text as it arrives (what a streamed answer forwards). */
  onDelta?: (delta: string) => void;
};

const FAILURE_MESSAGES: Partial<Record<ReplyEngineError["reason"], string>> = {
  timeout: "The persona took too long to reply. Try again.",
  aborted: "The reply was cancelled before it finished. Try again.",
};

/** Saves the whole reply (one round trip). */
async function save(actor: Actor, context: ReplyContext, text: string): Promise<ReplyResult> {
  const { conversation, userMessage } = context;
  try {
    const saved = await saveAssistantMessage(actor, conversation.id, text, userMessage.id);
    return { assistantMessage: saved.message, conversation: saved.conversation };
  } catch (error) {
    const e = toAppError(error);
    // nothing_to_retry: the message was answered by a concurrent reply (or a newer post came in),
    // so this reply is dropped; marking the conversation `error` would undo that reply's success.
    if (e.code !== "nothing_to_retry") await markErrored(actor, conversation.id);
    throw e;
  }
}

/** Marks the conversation `error` (one round trip) and says why as AppError("reply_failed"). */
async function fail(
  actor: Actor,
  context: ReplyContext,
  failure: ReplyEngineError,
): Promise<never> {
  const conversationId = context.conversation.id;
  console.warn(`[reply] ${conversationId}: ${failure.reason}: ${failure.message}`);
  await markErrored(actor, conversationId);
  throw new AppError("reply_failed", FAILURE_MESSAGES[failure.reason], { cause: failure });
}

/** Best effort: the conversation is marked `error` so the UI offers a retry. Never throws. */
async function markErrored(actor: Actor, conversationId: string): Promise<void> {
  try {
    await setConversationStatus(actor, conversationId, "error");
  } catch (error) {
    // e.g. the conversation was ended while the reply ran: it stays ended, which is fine.
    console.warn(`[reply] could not mark ${conversationId} errored: ${toAppError(error).code}`);
  }
}

/**
 * Streams the reply to `context` and settles it in one place: the complete reply is saved, or,
 * on any failure (the model's error, the timeout, the client going away, an empty reply), nothing
 * of it is saved, the conversation is marked `error` and AppError("reply_failed") is thrown. The
 * user message saved by startReply stays, so a retry can answer it. If the message was answered
 * meanwhile (or a newer one posted), the save throws nothing_to_retry and the conversation is
 * left as it is.
 */
export function runReply(options: RunReplyOptions): Promise<ReplyResult> {
  const { actor, context } = options;
  return streamReply({
    ...options,
    request: {
      persona: context.persona,
      history: context.history,
      messageId: context.userMessage.id,
    },
    maxChars: MAX_REPLY_CHARS,
    onEnd: (outcome) =>
      "text" in outcome
        ? save(actor, context, outcome.text)
        : fail(actor, context, outcome.failure),
  });
}
