// Which saved message a chat bubble can play: a persona's finished reply (its id from the
// stream's `finish` metadata, or, for messages loaded from the server, its own id), and a
// visitor's voice message (its recording).

import type { ChatMessage } from "@/components/chat/chat-message";

/** The saved id of a persona's reply, or null while it streams (nothing to play yet). */
export function replyAudioId(message: ChatMessage): string | null {
  if (message.role !== "assistant") return null;
  const saved = message.metadata?.assistantMessage;
  if (saved) return saved.id;
  // Loaded from the server (toChatMessages): no metadata, and the id is the saved one.
  return message.metadata === undefined ? message.id : null;
}

/**
 * The saved id of the visitor's voice message at `index`, or null when it is typed. A message
 * sent from this page learns its saved id and recording from the reply's `start` metadata;
 * one loaded from the server is in `withAudio` (the ids of saved messages that have audio).
 */
export function voiceMessageAudioId(
  messages: ChatMessage[],
  index: number,
  withAudio: ReadonlySet<string>,
): string | null {
  const message = messages[index];
  if (message?.role !== "user") return null;
  if (withAudio.has(message.id)) return message.id;
  const next = messages[index + 1];
  const posted = next?.role === "assistant" ? next.metadata?.userMessage : undefined;
  return posted?.audioUrl ? posted.id : null;
}
