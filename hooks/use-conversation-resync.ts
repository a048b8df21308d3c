// Reads a conversation back from the API, for when another tab changed it under this one (it
// answered the message first, or ended the conversation).

import { useCallback } from "react";
import type { Conversation, Message } from "@/lib/chat/types";

export type SavedConversation = { conversation: Conversation; messages: Message[] };

/** A function that fetches the saved conversation; it resolves to null when that fails. */
export function useConversationResync(
  conversationId: string,
): () => Promise<SavedConversation | null> {
  return useCallback(async () => {
    try {
      const response = await fetch(`/api/conversations/${conversationId}`, {
        headers: { accept: "application/json" },
      });
      if (!response.ok) return null;
      const body = (await response.json()) as SavedConversation;
      return { conversation: body.conversation, messages: body.messages };
    } catch {
      return null;
    }
  }, [conversationId]);
}
