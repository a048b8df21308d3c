// The chat domain: each function is one SQL function call through the port (lib/db), whose
// result the port has already parsed into the API's types (lib/db/results.ts). Rules (ownership,
// the guest cap, the per-address and per-account limits, one reply at a time, ended
// conversations) live in SQL; this layer passes the caller, the client address and the settings.

import "server-only";
import { UNKNOWN_CLIENT } from "@/lib/auth/client-ip";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import type {
  AudioRecordArgs,
  MessageAudioRecord,
  SavedAudio,
  SavedTranscript,
  VoiceSessionContext,
} from "@/lib/voice/types";
import type {
  Actor,
  Allowance,
  Conversation,
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  DeletedAccount,
  DeletedConversation,
  Message,
  Persona,
  ReplyContext,
} from "./types";

/** How many recent messages a post loads for the reply engine (which then fits its own budget). */
export const HISTORY_LIMIT = 50;

/** Messages per page of a conversation (GET /api/conversations/{id}), newest first. */
export const MESSAGES_PAGE_SIZE = 50;

/** Conversations per page of the list (GET /api/conversations). */
export const CONVERSATIONS_PAGE_SIZE = 50;

/** What listConversations answers in one call (the history screens show this many). */
const CONVERSATIONS_LIST_LIMIT = 100;

function who(actor: Actor): { p_session_id: string | null; p_user_id: string | null } {
  return actor.kind === "user"
    ? { p_session_id: null, p_user_id: actor.userId }
    : { p_session_id: actor.sessionId, p_user_id: null };
}

const guestLimit = () => getConfig().guestMessageLimit;

/** The settings every counted step passes to SQL: the engine uses per day and the lease length. */
function engineLimits(ip: string) {
  const { limits, ai } = getConfig();
  return {
    p_ip: ip,
    p_ip_messages_per_day: limits.guestMessagesPerIpPerDay,
    p_user_messages_per_day: limits.userMessagesPerDay,
    p_lease_ms: ai.timeoutMs,
  };
}

/**
 * rate_limited carries `retry_after_seconds=N` in the database error's HINT (the per-session
 * conversation cap has none: waiting does not help there); it becomes `details.retryAfterSeconds`.
 */
function withRetryAfter(error: unknown): unknown {
  if (!isAppError(error) || error.code !== "rate_limited") return error;
  const hint = (error.cause as { hint?: unknown } | undefined)?.hint;
  const seconds =
    typeof hint === "string" ? Number(/retry_after_seconds=(\d+)/.exec(hint)?.[1]) : Number.NaN;
  if (!Number.isFinite(seconds)) return error;
  return new AppError("rate_limited", error.message, {
    cause: error.cause,
    details: { retryAfterSeconds: seconds },
  });
}

/** A step that counts against a limit: its rate_limited error says when to come back. */
async function counted<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    throw withRetryAfter(error);
  }
}

export async function listPersonas(): Promise<Persona[]> {
  return (await getDb()).rpc("list_personas", {});
}

/**
 * Starts a conversation. `ip` is the client address key (clientIpFrom, lib/auth/client-ip.ts): a
 * guest session's first conversation counts against its address's new sessions per hour, and a
 * guest session holds at most GUEST_CONVERSATIONS_PER_SESSION (429 rate_limited beyond either).
 */
export async function startConversation(
  actor: Actor,
  personaId: string,
  ip: string = UNKNOWN_CLIENT,
): Promise<Conversation> {
  const { limits } = getConfig();
  return counted(
    (await getDb()).rpc("start_conversation", {
      p_persona_id: personaId,
      ...who(actor),
      p_ip: ip,
      p_ip_sessions_per_hour: limits.guestSessionsPerIpPerHour,
      p_conversations_per_session: limits.guestConversationsPerSession,
    }),
  );
}

/** The first page of the caller's conversations (up to 100), most recently active first. */
export async function listConversations(actor: Actor): Promise<ConversationSummary[]> {
  return (await listConversationPage(actor, { limit: CONVERSATIONS_LIST_LIMIT })).conversations;
}

/**
 * A page of the caller's conversations, most recently active first. `before` is the `nextBefore`
 * of the previous page (opaque); one that is not such a cursor is invalid_input (400).
 */
export async function listConversationPage(
  actor: Actor,
  page: { before?: string | null; limit?: number } = {},
): Promise<ConversationPage> {
  return (await getDb()).rpc("list_conversations", {
    ...who(actor),
    p_limit: page.limit ?? CONVERSATIONS_PAGE_SIZE,
    p_before: page.before ?? null,
  });
}

/**
 * A conversation with the newest MESSAGES_PAGE_SIZE messages (oldest first), or those before the
 * message `before` (a message id of this conversation; another is invalid_input); `hasMore` and
 * `nextBefore` lead to the earlier ones.
 */
export async function getConversation(
  actor: Actor,
  conversationId: string,
  page: { before?: string | null; limit?: number } = {},
): Promise<ConversationDetail> {
  return (await getDb()).rpc("get_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_guest_limit: guestLimit(),
    p_before: page.before ?? null,
    p_limit: page.limit ?? MESSAGES_PAGE_SIZE,
  });
}

/**
 * Saves the caller's message (counting it against a guest's allowance and address, or the
 * account's daily uses) and returns the reply context with the reply's lease. While another reply
 * is being generated in the conversation: 409 reply_in_progress, nothing saved.
 */
export async function postUserMessage(
  actor: Actor,
  conversationId: string,
  content: string,
  ip: string = UNKNOWN_CLIENT,
): Promise<ReplyContext> {
  return counted(
    (await getDb()).rpc("post_user_message", {
      p_conversation_id: conversationId,
      ...who(actor),
      p_content: content,
      p_guest_limit: guestLimit(),
      p_history_limit: HISTORY_LIMIT,
      ...engineLimits(ip),
    }),
  );
}

function prepare(actor: Actor, conversationId: string, ip: string, regenerate: boolean) {
  const { limits } = getConfig();
  return getDb().then((db) =>
    counted(
      db.rpc("prepare_retry", {
        p_conversation_id: conversationId,
        ...who(actor),
        p_guest_limit: guestLimit(),
        p_history_limit: HISTORY_LIMIT,
        ...engineLimits(ip),
        p_max_retries: limits.retriesPerMessage,
        p_regenerate: regenerate,
      }),
    ),
  );
}

/**
 * The context to answer the last, unanswered user message again, with a new lease. It does not
 * use the guest allowance, but counts against the address's (or account's) daily uses and the
 * message's RETRIES_PER_MESSAGE (409 retry_limit_reached beyond).
 */
export function prepareRetry(
  actor: Actor,
  conversationId: string,
  ip: string = UNKNOWN_CLIENT,
): Promise<ReplyContext> {
  return prepare(actor, conversationId, ip, false);
}

/**
 * Regenerate: deletes the newest reply (to the caller's message before it) and returns the context
 * to answer that message again, as prepareRetry does and within the same budget. `replaced` names
 * the deleted reply and the Storage objects of its audio.
 */
export function prepareRegenerate(
  actor: Actor,
  conversationId: string,
  ip: string = UNKNOWN_CLIENT,
): Promise<ReplyContext> {
  return prepare(actor, conversationId, ip, true);
}

/**
 * Saves the reply to the user message `replyTo` and releases the reply's lease (`leaseId`, from
 * the post or retry). Refused with nothing_to_retry (409) while another reply holds the lease, or
 * unless that message is still the conversation's newest and unanswered. `stopped`: the visitor
 * stopped the reply; the text so far (possibly empty) is kept, marked stopped, not an error.
 */
export async function saveAssistantMessage(
  actor: Actor,
  conversationId: string,
  content: string,
  replyTo: string,
  options: { leaseId?: string | null; stopped?: boolean } = {},
): Promise<{ message: Message; conversation: Conversation }> {
  return (await getDb()).rpc("save_assistant_message", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_reply_to: replyTo,
    p_content: content,
    p_lease_id: options.leaseId ?? null,
    p_stopped: options.stopped ?? false,
  });
}

/**
 * Marks the conversation `error` (its reply failed) or `active`, releasing the lease `leaseId`;
 * while another reply holds a live lease, 409 reply_in_progress.
 */
export async function setConversationStatus(
  actor: Actor,
  conversationId: string,
  status: "active" | "error",
  leaseId: string | null = null,
): Promise<Conversation> {
  return (await getDb()).rpc("set_conversation_status", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_status: status,
    p_lease_id: leaseId,
  });
}

/**
 * Renames the caller's conversation (1 to 100 characters after trimming; invalid_input
 * otherwise). With `expectedTitle`, only while the title is still that one: a title made after
 * the reply never overwrites one the owner chose meanwhile.
 */
export async function renameConversation(
  actor: Actor,
  conversationId: string,
  title: string,
  options: { expectedTitle?: string | null } = {},
): Promise<Conversation> {
  return (await getDb()).rpc("rename_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_title: title,
    p_expected_title: options.expectedTitle ?? null,
  });
}

/**
 * Deletes the caller's conversation with its messages and audio (not_found for anyone else's).
 * The caller deletes the returned Storage objects (supabase mode). A guest's messages in it still
 * count against the allowance.
 */
export async function deleteConversation(
  actor: Actor,
  conversationId: string,
): Promise<DeletedConversation> {
  return (await getDb()).rpc("delete_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
  });
}

/**
 * Deletes everything of an account: its conversations (messages, audio) and usage counts, and,
 * with `deleteAuthUser`, its auth.users row (the built-in sign-in modes). In supabase mode pass
 * false and delete the user through the Auth Admin API afterwards. The caller deletes the
 * returned Storage objects.
 */
export async function deleteAccount(
  userId: string,
  options: { deleteAuthUser: boolean },
): Promise<DeletedAccount> {
  return (await getDb()).rpc("delete_account", {
    p_user_id: userId,
    p_delete_user: options.deleteAuthUser,
  });
}

export async function endConversation(actor: Actor, conversationId: string): Promise<Conversation> {
  return (await getDb()).rpc("end_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
  });
}

export async function getGuestAllowance(sessionId: string): Promise<Allowance> {
  return (await getDb()).rpc("get_guest_allowance", {
    p_session_id: sessionId,
    p_guest_limit: guestLimit(),
  });
}

/** Moves a guest session's conversations to a user (idempotent). Returns how many moved. */
export async function claimGuestConversations(sessionId: string, userId: string): Promise<number> {
  return (await getDb()).rpc("claim_guest_conversations", {
    p_session_id: sessionId,
    p_user_id: userId,
  });
}

// Voice (lib/voice orchestrates these: speech, Storage) ------------------------------------------

/** The audio columns of save_message_audio and post_voice_message. */
function audioArgs(audio: AudioRecordArgs) {
  return {
    p_content_type: audio.contentType,
    p_byte_size: audio.byteSize,
    p_duration_ms: audio.durationMs,
    p_data_base64: audio.dataBase64,
    p_storage_path: audio.storagePath,
  };
}

/** A message of the caller's conversation, its stored audio (if any) and the persona's voices. */
export async function getMessageAudio(
  actor: Actor,
  conversationId: string,
  messageId: string,
): Promise<MessageAudioRecord> {
  return (await getDb()).rpc("get_message_audio", {
    p_conversation_id: conversationId,
    p_message_id: messageId,
    ...who(actor),
  });
}

/** Records a persona reply's audio and sets audio_url; `created` false if one was stored first. */
export async function saveMessageAudio(
  actor: Actor,
  conversationId: string,
  messageId: string,
  audio: AudioRecordArgs,
): Promise<SavedAudio> {
  return (await getDb()).rpc("save_message_audio", {
    p_conversation_id: conversationId,
    p_message_id: messageId,
    ...who(actor),
    ...audioArgs(audio),
  });
}

/** postUserMessage with the recording stored beside the message, in the same transaction. */
export async function postVoiceMessage(
  actor: Actor,
  conversationId: string,
  content: string,
  audio: AudioRecordArgs,
  ip: string = UNKNOWN_CLIENT,
): Promise<ReplyContext> {
  return counted(
    (await getDb()).rpc("post_voice_message", {
      p_conversation_id: conversationId,
      ...who(actor),
      p_content: content,
      ...audioArgs(audio),
      p_guest_limit: guestLimit(),
      p_history_limit: HISTORY_LIMIT,
      ...engineLimits(ip),
    }),
  );
}

/** The persona's prompt, first message and voices for a live session (signed-in users only). */
export async function getVoiceSessionContext(
  actor: Actor,
  conversationId: string,
): Promise<VoiceSessionContext> {
  return (await getDb()).rpc("get_voice_session_context", {
    p_conversation_id: conversationId,
    ...who(actor),
  });
}

/** Saves a finished live session's turns as messages, once per session (idempotent). */
export async function saveVoiceTranscript(
  actor: Actor,
  conversationId: string,
  sessionId: string,
  turns: { role: "user" | "assistant"; content: string }[],
): Promise<SavedTranscript> {
  return (await getDb()).rpc("save_voice_transcript", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_elevenlabs_conversation_id: sessionId,
    p_turns: turns,
  });
}
