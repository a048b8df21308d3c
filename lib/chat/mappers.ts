// Turns the snake_case JSON that the SQL functions return into the API's camelCase types.

import type { Json } from "@/lib/database.types";
import type {
  Allowance,
  Conversation,
  ConversationDetail,
  ConversationSummary,
  Message,
  Persona,
  ReplyContext,
} from "./types";

// The functions' JSON shapes are fixed by supabase/migrations/*_chat_functions.sql.
type Row = Record<string, unknown>;
const row = (value: Json | unknown): Row => (value ?? {}) as Row;
const str = (value: unknown): string => String(value ?? "");
const strOrNull = (value: unknown): string | null => (value == null ? null : String(value));

export function toConversation(value: unknown): Conversation {
  const r = row(value);
  return {
    id: str(r.id),
    personaId: strOrNull(r.persona_id),
    status: str(r.status) as Conversation["status"],
    isGuestSession: r.is_guest_session === true,
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    endedAt: strOrNull(r.ended_at),
  };
}

export function toMessage(value: unknown): Message {
  const r = row(value);
  return {
    id: str(r.id),
    role: str(r.role) as Message["role"],
    content: str(r.content),
    audioUrl: strOrNull(r.audio_url),
    createdAt: str(r.created_at),
  };
}

export function toPersona(value: unknown): Persona {
  const r = row(value);
  return {
    id: str(r.id),
    slug: str(r.slug),
    name: str(r.name),
    tagline: str(r.tagline),
    avatarUrl: strOrNull(r.avatar_url),
    greeting: str(r.greeting),
  };
}

export function toAllowance(value: unknown): Allowance {
  if (value == null) return null;
  const r = row(value);
  return { limit: Number(r.limit), used: Number(r.used), remaining: Number(r.remaining) };
}

export function toConversationSummary(value: unknown): ConversationSummary {
  const r = row(value);
  const persona = r.persona == null ? null : row(r.persona);
  const last = r.last_message == null ? null : row(r.last_message);
  return {
    ...toConversation(r),
    persona: persona
      ? {
          id: str(persona.id),
          slug: str(persona.slug),
          name: str(persona.name),
          avatarUrl: strOrNull(persona.avatar_url),
        }
      : null,
    lastMessage: last
      ? {
          role: str(last.role) as Message["role"],
          content: str(last.content),
          createdAt: str(last.created_at),
        }
      : null,
    messageCount: Number(r.message_count ?? 0),
  };
}

export function toConversationDetail(value: unknown): ConversationDetail {
  const r = row(value);
  return {
    conversation: toConversation(r.conversation),
    persona: r.persona == null ? null : toPersona(r.persona),
    messages: Array.isArray(r.messages) ? r.messages.map(toMessage) : [],
    allowance: toAllowance(r.allowance),
  };
}

export function toReplyContext(value: unknown): ReplyContext {
  const r = row(value);
  const p = row(r.persona);
  return {
    userMessage: toMessage(r.message),
    conversation: toConversation(r.conversation),
    allowance: toAllowance(r.allowance),
    persona: {
      id: str(p.id),
      slug: str(p.slug),
      name: str(p.name),
      systemPrompt: str(p.system_prompt),
      greeting: str(p.greeting),
    },
    history: Array.isArray(r.history)
      ? r.history.map((h) => {
          const t = row(h);
          return {
            role: t.role === "assistant" ? "assistant" : "user",
            content: str(t.content),
          } as const;
        })
      : [],
  };
}
