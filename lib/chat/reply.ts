// Answering one user message: the reply (lib/ai's one streamText call) runs on the context the
// post (or retry) returned, holding the conversation's reply lease; then the reply is saved, or
// the conversation is marked `error` and the user message stays for a retry, and either way the
// lease is released. Shared by the streamed and the JSON answer of the API.

import "server-only";
import { type AiSettings, type ReplyEngineError, type ReplyModel, streamReply } from "@/lib/ai";
import { UNKNOWN_CLIENT } from "@/lib/auth/client-ip";
import { AppError, toAppError } from "@/lib/errors";
import { getAudioStore } from "@/lib/voice/audio-store";
import { postVoiceMessage, type VoiceRecording } from "@/lib/voice/message-audio";
import {
  postUserMessage,
  prepareRegenerate,
  prepareRetry,
  saveAssistantMessage,
  setConversationStatus,
} from "./service";
import type { Actor, Conversation, Message, ReplyContext } from "./types";

/**
 * What starts a reply: a new message (counted against a guest's allowance), a voice message (the
 * same, with the transcript as its content and the recording kept beside it), a retry of the
 * last unanswered message, or a regeneration of the newest reply (both within the message's
 * retry budget, neither using the allowance).
 */
export type ReplyInput =
  | { kind: "message"; content: string }
  | { kind: "voice"; content: string; recording: VoiceRecording }
  | { kind: "retry" }
  | { kind: "regenerate" };

export type ReplyResult = { assistantMessage: Message; conversation: Conversation };

/** save_assistant_message refuses longer replies; a model that runs on is cut here instead. */
export const MAX_REPLY_CHARS = 32_000;

/**
 * One database round trip that saves the message (or finds the unanswered one, for a retry) and
 * takes the conversation's reply lease, returning everything the reply needs. Its errors
 * (not_found, conversation_ended, reply_in_progress, guest_limit_reached, rate_limited,
 * nothing_to_retry, retry_limit_reached, ...) happen before any reply starts. `ip` is the client
 * address key (clientIpFrom), for the per-address limits.
 */
export async function startReply(
  actor: Actor,
  conversationId: string,
  input: ReplyInput,
  ip: string = UNKNOWN_CLIENT,
): Promise<ReplyContext> {
  switch (input.kind) {
    case "retry":
      return prepareRetry(actor, conversationId, ip);
    case "regenerate": {
      const context = await prepareRegenerate(actor, conversationId, ip);
      // The replaced reply's rows are gone; its spoken audio in Storage (supabase mode) too.
      const store = getAudioStore();
      for (const storagePath of context.replaced?.storagePaths ?? []) {
        await store.discard({ dataBase64: null, storagePath });
      }
      return context;
    }
    case "voice":
      return postVoiceMessage(actor, conversationId, input.content, input.recording, { ip });
    case "message":
      return postUserMessage(actor, conversationId, input.content, ip);
  }
}

export type RunReplyOptions = {
  actor: Actor;
  context: ReplyContext;
  /** The reply model (getReplyModel from lib/ai, or a test double). */
  model: ReplyModel;
  settings: Pick<AiSettings, "timeoutMs" | "contextTokens">;
  /**
   * Stops the reply: the request's signal, which fires when the visitor presses Stop (the client
   * aborts its request) or the client goes away. What has arrived so far is saved, marked
   * stopped: not an error, and it costs nothing more.
   */
  abortSignal?: AbortSignal;
  /** Each piece of reply text as it arrives (what a streamed answer forwards). */
  onDelta?: (delta: string) => void;
  /** Once the reply is settled: what was saved, or null when it failed. */
  onSettled?: (result: ReplyResult | null) => void;
};

const FAILURE_MESSAGES: Partial<Record<ReplyEngineError["reason"], string>> = {
  timeout: "The persona took too long to reply. Try again.",
};

/** Saves the whole (or the stopped) reply and releases the lease (one round trip). */
async function save(
  actor: Actor,
  context: ReplyContext,
  text: string,
  stopped = false,
): Promise<ReplyResult> {
  const { conversation, userMessage, lease } = context;
  try {
    const saved = await saveAssistantMessage(actor, conversation.id, text, userMessage.id, {
      leaseId: lease.id,
      stopped,
    });
    return { assistantMessage: saved.message, conversation: saved.conversation };
  } catch (error) {
    const e = toAppError(error);
    // nothing_to_retry: another reply holds the conversation now (this one's lease ran out and a
    // retry took over) or answered the message, so this reply is dropped; marking the
    // conversation `error` would undo that reply's success.
    if (e.code !== "nothing_to_retry") await markErrored(actor, context);
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
  await markErrored(actor, context);
  throw new AppError("reply_failed", FAILURE_MESSAGES[failure.reason], { cause: failure });
}

/**
 * Best effort: the conversation is marked `error` so the UI offers a retry, and the reply's
 * lease released. Never throws. If the database cannot be reached, the lease runs out on its own
 * and the conversation reads as `error` then.
 */
async function markErrored(actor: Actor, context: ReplyContext): Promise<void> {
  const conversationId = context.conversation.id;
  try {
    await setConversationStatus(actor, conversationId, "error", context.lease.id);
  } catch (error) {
    // e.g. the conversation was ended while the reply ran (it stays ended, which is fine), or
    // this reply's lease ran out and another reply holds the conversation (reply_in_progress).
    console.warn(`[reply] could not mark ${conversationId} errored: ${toAppError(error).code}`);
  }
}

/**
 * Streams the reply to `context` and settles it in one place: the complete reply is saved; when
 * `abortSignal` fires (Stop, or the client went away), what has arrived is saved, marked stopped
 * (possibly empty); on any failure (the model's error, the timeout, an empty reply), nothing of
 * it is saved, the conversation is marked `error` and AppError("reply_failed") is thrown. Either
 * way the lease is released. The user message saved by startReply stays, so a retry can answer it. If another
 * reply holds the conversation by then, the save throws nothing_to_retry and the conversation is
 * left as it is.
 */
export async function runReply(options: RunReplyOptions): Promise<ReplyResult> {
  try {
    const result = await settleReply(options);
    options.onSettled?.(result);
    return result;
  } catch (error) {
    options.onSettled?.(null);
    throw error;
  }
}

function settleReply(options: RunReplyOptions): Promise<ReplyResult> {
  const { actor, context, abortSignal, onDelta } = options;
  let partial = "";
  return streamReply({
    ...options,
    onDelta: (delta) => {
      partial += delta;
      onDelta?.(delta);
    },
    request: {
      persona: context.persona,
      history: context.history,
      messageId: context.userMessage.id,
    },
    maxChars: MAX_REPLY_CHARS,
    onEnd: (outcome) => {
      if ("text" in outcome) return save(actor, context, outcome.text);
      // Not the timeout (also an abort, reported as "timeout"): the visitor's own stop.
      if (abortSignal?.aborted && outcome.failure.reason === "aborted") {
        return save(actor, context, partial, true);
      }
      return fail(actor, context, outcome.failure);
    },
  });
}
