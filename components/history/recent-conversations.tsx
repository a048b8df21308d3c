// The signed-in home's recent conversations: the newest few beside the persona gallery (three
// above it on phones, so the personas stay in reach), with a way to the whole history.

import Link from "next/link";
import type { ConversationSummary } from "@/lib/chat/types";
import { ConversationList } from "./conversation-list";

const SHOWN = 5;

export function RecentConversations({
  conversations,
}: {
  conversations: ConversationSummary[] | null;
}) {
  return (
    <section
      aria-labelledby="recent-heading"
      data-testid="recent-conversations"
      className="rounded-2xl border border-zinc-200 bg-zinc-50/60 p-2 dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <div className="flex items-center justify-between gap-2 px-3 pt-2 pb-1">
        <h2 id="recent-heading" className="font-semibold text-base">
          Recent conversations
        </h2>
        {conversations && conversations.length > 0 ? (
          <Link
            href="/history"
            className="shrink-0 rounded-md px-2 py-1 font-medium text-brand-700 text-sm outline-none hover:bg-brand-50 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-brand-300 dark:hover:bg-brand-950/50"
          >
            {conversations.length > SHOWN ? `All ${conversations.length}` : "History"}
            <span className="sr-only"> of your conversations</span>
          </Link>
        ) : null}
      </div>
      {conversations === null ? (
        <p role="alert" className="px-3 py-3 text-red-700 text-sm dark:text-red-300">
          Your conversations could not be loaded. Reload the page to try again.
        </p>
      ) : conversations.length === 0 ? (
        <p className="px-3 py-3 text-sm text-zinc-600 dark:text-zinc-400">
          Your conversations will appear here. Pick a persona to start one.
        </p>
      ) : (
        <div className="max-lg:[&_li:nth-child(n+4)]:hidden">
          <ConversationList conversations={conversations.slice(0, SHOWN)} />
        </div>
      )}
    </section>
  );
}
