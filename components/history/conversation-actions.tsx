// The history lists' per-item actions: each conversation's menu (rename, export, delete) for the
// `itemActions` slot of ConversationList.

import { ConversationMenu } from "@/components/chat/conversation-menu";
import type { ConversationSummary } from "@/lib/chat/types";

/** `itemActions` for ConversationList; `activeConversationId` is the page being shown, if any. */
export function conversationMenus(activeConversationId?: string) {
  return (conversation: ConversationSummary) => (
    <ConversationMenu
      conversationId={conversation.id}
      title={conversation.title}
      personaName={conversation.persona?.name ?? "Unknown persona"}
      isCurrent={conversation.id === activeConversationId}
    />
  );
}
