// On phones, the history one tap away from every chat: a button in the chat header that opens
// the conversation list as a drawer. Nothing for guests (they have no history).

import { HistoryDrawerClose, HistoryDrawerToggle } from "./history-drawer-toggle";
import { HistoryNav } from "./history-nav";
import { loadHistory } from "./load-history";

export async function HistoryDrawer({ activeConversationId }: { activeConversationId?: string }) {
  const history = await loadHistory();
  if (!history) return null;
  return (
    <HistoryDrawerToggle headingId="history-drawer-heading">
      <HistoryNav
        conversations={history.conversations}
        activeConversationId={activeConversationId}
        headingId="history-drawer-heading"
        headerEnd={<HistoryDrawerClose />}
      />
    </HistoryDrawerToggle>
  );
}
