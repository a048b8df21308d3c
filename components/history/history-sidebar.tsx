// The signed-in user's conversation list, beside the chat on desktop.
// Placeholder until the signed-in users work lands (owned by the auth work): renders nothing.

export async function HistorySidebar(_props: { activeConversationId?: string }) {
  return null;
}
