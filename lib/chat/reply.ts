// Answering one user message: the reply engine runs on the context the post (or retry) returned,
// then the reply is saved, or the conversation is marked `error` and the user message stays for
// a retry. Shared by the streaming and JSON answers of the API, and testable without HTTP.

import { type ReplyEngine, ReplyEngineError } from "@/lib/ai";
import { AppError, toAppError } from "@/lib/errors";
import {
  postUserMessage,
  prepareRetry,
  saveAssistantMessage,
  setConversationStatus,
} from "./service";
import type { Actor, Conversation, Message, ReplyContext } from "./types";

/** The service's optional dependencies (a test database, a guest limit). */
export type ReplyDeps = Parameters<typeof postUserMessage>[3];

/** What starts a reply: a new message (counted against a guest's allowance) or a retry (not). */
export type ReplyInput = { kind: "message"; content: string } | { kind: "retry" };

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
  deps?: ReplyDeps,
): Promise<ReplyContext> {
  return input.kind === "retry"
    ? prepareRetry(actor, conversationId, deps)
    : postUserMessage(actor, conversationId, input.content, deps);
}

export type RunReplyOptions = {
  actor: Actor;
  context: ReplyContext;
  engine: ReplyEngine;
  /** Cancels the engine: the client went away. */
  signal?: AbortSignal;
  /** Each piece of reply text as it arrives (what a streaming answer forwards). */
  onDelta?: (delta: string) => void;
  deps?: ReplyDeps;
};

const FAILURE_MESSAGES: Partial<Record<ReplyEngineError["reason"], string>> = {
  timeout: "The persona took too long to reply. Try again.",
  aborted: "The reply was cancelled before it finished. Try again.",
};

/** The longest prefix of `text` of at most `room` UTF-16 units that does not split a surrogate pair. */
function fitInto(text: string, room: number): string {
  if (text.length <= room) return text;
  let cut = Math.max(room, 0);
  const last = text.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return text.slice(0, cut);
}

/** Best effort: the conversation is marked `error` so the UI offers a retry. Never throws. */
async function markErrored(actor: Actor, conversationId: string, deps?: ReplyDeps) {
  try {
    await setConversationStatus(actor, conversationId, "error", deps);
  } catch (error) {
    // e.g. the conversation was ended while the reply ran: it stays ended, which is fine.
    const e = toAppError(error);
    console.warn(`[reply] could not mark conversation ${conversationId} errored: ${e.code}`);
  }
}

function engineFailure(error: unknown, conversationId: string): AppError {
  if (error instanceof ReplyEngineError) {
    console.warn(`[reply] ${conversationId}: engine failed (${error.reason}): ${error.message}`);
    return new AppError("reply_failed", FAILURE_MESSAGES[error.reason], { cause: error });
  }
  console.error(`[reply] ${conversationId}: engine threw an unexpected error`, error);
  return new AppError("reply_failed", undefined, { cause: error });
}

/**
 * Runs the engine on `context` and saves the complete reply (one round trip). On any failure,
 * including the client going away mid-reply, nothing of the partial reply is saved, the
 * conversation is marked `error` (one more round trip) and AppError("reply_failed") is thrown;
 * the user message saved by startReply stays, so a retry can answer it. If the message was
 * answered meanwhile (or a newer one posted), the save throws nothing_to_retry and the
 * conversation is left as it is.
 */
export async function runReply(options: RunReplyOptions): Promise<ReplyResult> {
  const { actor, context, engine, signal, onDelta, deps } = options;
  const conversationId = context.conversation.id;

  let text = "";
  try {
    const deltas = engine.streamReply({
      persona: context.persona,
      history: context.history,
      // Retries answer the same message, so the engine (and fault injection) can recognise them.
      messageId: context.userMessage.id,
      signal,
    });
    for await (const delta of deltas) {
      const piece = fitInto(delta, MAX_REPLY_CHARS - text.length);
      if (piece) {
        text += piece;
        onDelta?.(piece);
      }
      // Leaving the loop closes the engine's stream, which cancels its upstream request.
      if (piece.length < delta.length) break;
    }
    if (text.trim() === "") {
      throw new ReplyEngineError("malformed", "The reply engine sent an empty reply.");
    }
  } catch (error) {
    await markErrored(actor, conversationId, deps);
    throw engineFailure(error, conversationId);
  }

  try {
    const saved = await saveAssistantMessage(
      actor,
      conversationId,
      text,
      context.userMessage.id,
      deps,
    );
    return { assistantMessage: saved.message, conversation: saved.conversation };
  } catch (error) {
    const e = toAppError(error);
    // nothing_to_retry: the message was answered by a concurrent reply (or a newer post came in),
    // so this reply is dropped; marking the conversation `error` would undo that reply's success.
    if (e.code !== "nothing_to_retry") await markErrored(actor, conversationId, deps);
    throw e;
  }
}
