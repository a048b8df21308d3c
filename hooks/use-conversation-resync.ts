// Reads a conversation back from the API: the newest page after another tab changed it (it
// answered the message first, or ended the conversation) or after Stop, and earlier pages
// (`before`) as the visitor scrolls up.

import { useCallback } from "react";
import type { Conversation, Message } from "@/lib/chat/types";

export type SavedConversation = {
  conversation: Conversation;
  messages: Message[];
  hasMore: boolean;
  nextBefore: string | null;
};

/** A function that fetches a page of the saved conversation; it resolves to null when that fails. */
export function useConversationResync(
  conversationId: string,
): (page?: { before?: string }) => Promise<SavedConversation | null> {
  return useCallback(
    async (page) => {
      const query = page?.before ? `?before=${encodeURIComponent(page.before)}` : "";
      try {
        const response = await fetch(`/api/conversations/${conversationId}${query}`, {
          headers: { accept: "application/json" },
        });
        if (!response.ok) return null;
        const body = (await response.json()) as SavedConversation;
        return {
          conversation: body.conversation,
          messages: body.messages,
          hasMore: body.hasMore,
          nextBefore: body.nextBefore,
        };
      } catch {
        return null;
      }
    },
    [conversationId],
  );
}
