// The history's content, shared by the desktop sidebar and the phone drawer: a heading, "New
// chat", and the conversation list (or why there is none), each item with its menu.

import Link from "next/link";
import type { ConversationSummary } from "@/lib/chat/types";
import { conversationMenus } from "./conversation-actions";
import { ConversationList } from "./conversation-list";

export function HistoryNav({
  conversations,
  activeConversationId,
  headingId,
  headerEnd,
}: {
  conversations: ConversationSummary[] | null;
  activeConversationId?: string;
  headingId: string;
  /** After "New chat" in the heading row (the drawer's close button). */
  headerEnd?: React.ReactNode;
}) {
  return (
    <>
      <div className="flex shrink-0 items-center justify-between gap-2 px-4 pt-4 pb-2">
        <h2 id={headingId} className="font-semibold text-sm text-zinc-700 dark:text-zinc-300">
          Your conversations
        </h2>
        <div className="flex items-center gap-1">
          <Link
            href="/"
            className="rounded-md px-2 py-1 font-medium text-brand-700 text-xs outline-none hover:bg-brand-50 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-brand-300 dark:hover:bg-brand-950/50"
          >
            New chat
          </Link>
          {headerEnd}
        </div>
      </div>
      <nav
        aria-label="Conversation history"
        data-testid="history-nav"
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-2 pb-4"
      >
        {conversations === null ? (
          <p role="alert" className="px-3 py-4 text-red-700 text-sm dark:text-red-300">
            Your conversations could not be loaded. Reload the page to try again.
          </p>
        ) : conversations.length === 0 ? (
          <p className="px-3 py-4 text-sm text-zinc-600 dark:text-zinc-400">
            No conversations yet. Pick a persona to start one.
          </p>
        ) : (
          <ConversationList
            conversations={conversations}
            activeConversationId={activeConversationId}
            itemActions={conversationMenus(activeConversationId)}
          />
        )}
      </nav>
    </>
  );
}
