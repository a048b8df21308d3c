// The chat domain: each function is one SQL function call through the port (lib/db).
// Rules (ownership, the guest cap, ended conversations) live in SQL; this layer passes the
// caller and maps the result.

import { getConfig } from "@/lib/config";
import { type DbPort, getDb } from "@/lib/db";
import {
  toAllowance,
  toConversation,
  toConversationDetail,
  toConversationSummary,
  toMessage,
  toPersona,
  toReplyContext,
} from "./mappers";
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

type Deps = { db?: DbPort; guestLimit?: number };

async function port(deps?: Deps): Promise<DbPort> {
  return deps?.db ?? getDb();
}

function guestLimit(deps?: Deps): number {
  return deps?.guestLimit ?? getConfig().guestMessageLimit;
}

function who(actor: Actor): { p_session_id: string | null; p_user_id: string | null } {
  return actor.kind === "user"
    ? { p_session_id: null, p_user_id: actor.userId }
    : { p_session_id: actor.sessionId, p_user_id: null };
}

export async function listPersonas(deps?: Deps): Promise<Persona[]> {
  const rows = await (await port(deps)).rpc("list_personas", {});
  return (rows as unknown[]).map(toPersona);
}

export async function startConversation(
  actor: Actor,
  personaId: string,
  deps?: Deps,
): Promise<Conversation> {
  const result = await (await port(deps)).rpc("start_conversation", {
    p_persona_id: personaId,
    ...who(actor),
  });
  return toConversation(result);
}

export async function listConversations(actor: Actor, deps?: Deps): Promise<ConversationSummary[]> {
  const result = await (await port(deps)).rpc("list_conversations", {
    ...who(actor),
    p_limit: 100,
  });
  return (result as unknown[]).map(toConversationSummary);
}

export async function getConversation(
  actor: Actor,
  conversationId: string,
  deps?: Deps,
): Promise<ConversationDetail> {
  const result = await (await port(deps)).rpc("get_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_guest_limit: guestLimit(deps),
  });
  return toConversationDetail(result);
}

/** Saves the caller's message (counting it against a guest's allowance) and returns the reply context. */
export async function postUserMessage(
  actor: Actor,
  conversationId: string,
  content: string,
  deps?: Deps,
): Promise<ReplyContext> {
  const result = await (await port(deps)).rpc("post_user_message", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_content: content,
    p_guest_limit: guestLimit(deps),
    p_history_limit: HISTORY_LIMIT,
  });
  return toReplyContext(result);
}

/** The context to answer the last, unanswered user message again. Counts nothing. */
export async function prepareRetry(
  actor: Actor,
  conversationId: string,
  deps?: Deps,
): Promise<ReplyContext> {
  const result = await (await port(deps)).rpc("prepare_retry", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_guest_limit: guestLimit(deps),
    p_history_limit: HISTORY_LIMIT,
  });
  return toReplyContext(result);
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
  deps?: Deps,
): Promise<{ message: Message; conversation: Conversation }> {
  const result = (await (
    await port(deps)
  ).rpc("save_assistant_message", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_reply_to: replyTo,
    p_content: content,
  })) as Record<string, unknown>;
  return { message: toMessage(result.message), conversation: toConversation(result.conversation) };
}

export async function setConversationStatus(
  actor: Actor,
  conversationId: string,
  status: "active" | "error",
  deps?: Deps,
): Promise<Conversation> {
  const result = await (await port(deps)).rpc("set_conversation_status", {
    p_conversation_id: conversationId,
    ...who(actor),
    p_status: status,
  });
  return toConversation(result);
}

export async function endConversation(
  actor: Actor,
  conversationId: string,
  deps?: Deps,
): Promise<Conversation> {
  const result = await (await port(deps)).rpc("end_conversation", {
    p_conversation_id: conversationId,
    ...who(actor),
  });
  return toConversation(result);
}

export async function getGuestAllowance(sessionId: string, deps?: Deps): Promise<Allowance> {
  const result = await (await port(deps)).rpc("get_guest_allowance", {
    p_session_id: sessionId,
    p_guest_limit: guestLimit(deps),
  });
  return toAllowance(result);
}

/** Moves a guest session's conversations to a user (idempotent). Returns how many moved. */
export async function claimGuestConversations(
  sessionId: string,
  userId: string,
  deps?: Deps,
): Promise<number> {
  const moved = await (await port(deps)).rpc("claim_guest_conversations", {
    p_session_id: sessionId,
    p_user_id: userId,
  });
  return Number(moved);
}
