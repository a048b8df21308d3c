// The chat's UI message type: the AI SDK's UIMessage with the metadata the reply stream sends
// (`start` carries userMessage/allowance/conversation, `finish` the saved reply). The metadata type
// is the server's own, imported as a type only, so no server code reaches the browser.

import type { UIMessage } from "ai";
import type { ReplyMessageMetadata } from "@/lib/chat/reply-stream";
import type { Message } from "@/lib/chat/types";

export type ChatMetadata = ReplyMessageMetadata & {
  /** A reply the visitor stopped: saved as it was (from the server, or marked here on Stop). */
  stopped?: boolean;
};

export type ChatMessage = UIMessage<ChatMetadata>;

/** The plain text of a UI message (its text parts, in order). */
export function textOf(message: ChatMessage | undefined): string {
  if (!message) return "";
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** Saved messages (from the server) as UI messages; system messages are never shown. */
export function toChatMessages(messages: Message[]): ChatMessage[] {
  return messages
    .filter((m) => m.role === "user" || m.role === "assistant")
    .map((m) => ({
      id: m.id,
      role: m.role as "user" | "assistant",
      parts: [{ type: "text", text: m.content }],
      ...(m.stopped ? { metadata: { stopped: true } } : {}),
    }));
}

export function isStopped(message: ChatMessage | undefined): boolean {
  return (
    message?.metadata?.stopped === true || message?.metadata?.assistantMessage?.stopped === true
  );
}

/**
 * The saved page `fresh` (the newest messages) in place of what it covers in `local`: earlier
 * messages loaded above it stay. When the page and the local list share no message, the page.
 */
export function withSavedTail(local: ChatMessage[], fresh: ChatMessage[]): ChatMessage[] {
  const first = fresh[0];
  if (!first) return [];
  const at = local.findIndex((m) => m.id === first.id);
  return at < 0 ? fresh : [...local.slice(0, at), ...fresh];
}
