// The chat domain: each function is one SQL function call through the port (lib/db), whose
// result the port has already parsed into the API's types (lib/db/results.ts). Rules (ownership,
// the guest cap, ended conversations) live in SQL; this layer passes the caller.

import "server-only";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
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
  ConversationSummary,
  Message,
  Persona,
  ReplyContext,
} from "./types";

/** How many recent messages a post loads for the reply engine (which then fits its own budget). */
export const HISTORY_LIMIT = 50;

function who(actor: Actor): { p_session_id: string | null; p_user_id: string | null } {
  return actor.kind === "user"
    ? { p_session_id: null, p_user_id: actor.userId }
    : { p_session_id: actor.sessionId, p_user_id: null };
}

const guestLimit = () => getConfig().guestMessageLimit;

export async function listPersonas(): Promise<Persona[]> {
  return (await getDb()).rpc("list_personas", {});
}

export async function startConversation(actor: Actor, personaId: string): Promise<Conversation> {
  return (await getDb()).rpc("start_conversation", { p_persona_id: personaId, ...who(actor) });
}

export async function listConversations(actor: Actor): Promise<ConversationSummary[]> {
  return (await getDb()).rpc("list_conversations", { ...who(actor), p_limit: 100 });
}

export async function getConversation(
  actor: Actor,
  conversationId: string,
): Promise<ConversationDetail> {
  return (await getDb()).rpc("get_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_guest_limit: guestLimit(),
  });
}

/** Saves the caller's message (counting it against a guest's allowance) and returns the reply context. */
export async function postUserMessage(
  actor: Actor,
  conversationId: string,
  content: string,
): Promise<ReplyContext> {
  return (await getDb()).rpc("post_user_message", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_content: content,
    p_guest_limit: guestLimit(),
    p_history_limit: HISTORY_LIMIT,
  });
}

/** The context to answer the last, unanswered user message again. Counts nothing. */
export async function prepareRetry(actor: Actor, conversationId: string): Promise<ReplyContext> {
  return (await getDb()).rpc("prepare_retry", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_guest_limit: guestLimit(),
    p_history_limit: HISTORY_LIMIT,
  });
}

/**
 * Saves the reply to the user message `replyTo`. Refused with nothing_to_retry (409) unless that
 * message is still the conversation's newest and unanswered (another reply won, or a newer post).
 */
export async function saveAssistantMessage(
  actor: Actor,
  conversationId: string,
  content: string,
  replyTo: string,
): Promise<{ message: Message; conversation: Conversation }> {
  return (await getDb()).rpc("save_assistant_message", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_reply_to: replyTo,
    p_content: content,
  });
}

export async function setConversationStatus(
  actor: Actor,
  conversationId: string,
  status: "active" | "error",
): Promise<Conversation> {
  return (await getDb()).rpc("set_conversation_status", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_status: status,
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
): Promise<ReplyContext> {
  return (await getDb()).rpc("post_voice_message", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_content: content,
    ...audioArgs(audio),
    p_guest_limit: guestLimit(),
    p_history_limit: HISTORY_LIMIT,
  });
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
