// The signed-in user's conversation list, beside the chat on desktop (phones use /history).
// Renders nothing for guests and visitors.

import Link from "next/link";
import { getActor } from "@/lib/auth/actor";
import { listConversations } from "@/lib/chat/service";
import type { ConversationSummary } from "@/lib/chat/types";
import { ConversationList } from "./conversation-list";

export async function HistorySidebar({ activeConversationId }: { activeConversationId?: string }) {
  const actor = await getActor();
  if (actor?.kind !== "user") return null;

  let conversations: ConversationSummary[] | null = null;
  try {
    conversations = await listConversations(actor);
  } catch (error) {
    console.error("[history] could not list conversations", error);
  }

  return (
    <aside
      aria-labelledby="history-heading"
      className="hidden w-72 shrink-0 flex-col border-zinc-200 border-r bg-zinc-50/60 md:flex lg:w-80 dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <div className="flex items-center justify-between px-4 pt-4 pb-2">
        <h2 id="history-heading" className="font-semibold text-sm text-zinc-700 dark:text-zinc-300">
          Your conversations
        </h2>
        <Link
          href="/"
          className="rounded-md px-2 py-1 font-medium text-brand-700 text-xs hover:bg-brand-50 dark:text-brand-300 dark:hover:bg-brand-950/50"
        >
          New chat
        </Link>
      </div>
      <nav aria-label="Conversation history" className="flex-1 overflow-y-auto px-2 pb-4">
        {conversations === null ? (
          <p role="alert" className="px-3 py-4 text-sm text-red-700 dark:text-red-300">
            Your conversations could not be loaded. Reload the page to try again.
          </p>
        ) : conversations.length === 0 ? (
          <p className="px-3 py-4 text-sm text-zinc-500 dark:text-zinc-400">
            No conversations yet. Pick a persona to start one.
          </p>
        ) : (
          <ConversationList
            conversations={conversations}
            activeConversationId={activeConversationId}
          />
        )}
      </nav>
    </aside>
  );
}
