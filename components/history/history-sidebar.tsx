// The signed-in user's conversation list, beside the chat on desktop (phones open it as a drawer
// from the chat header, or use /history). It fills the height of the chat area and scrolls on
// its own, so it stays in view however long the conversation is. Nothing for guests.

import { HistoryNav } from "./history-nav";
import { loadHistory } from "./load-history";

export async function HistorySidebar({ activeConversationId }: { activeConversationId?: string }) {
  const history = await loadHistory();
  if (!history) return null;
  return (
    <aside
      aria-labelledby="history-heading"
      data-testid="history-sidebar"
      className="hidden min-h-0 w-72 shrink-0 flex-col border-zinc-200 border-r bg-zinc-50/60 md:flex lg:w-80 dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <HistoryNav
        conversations={history.conversations}
        activeConversationId={activeConversationId}
        headingId="history-heading"
      />
    </aside>
  );
}
