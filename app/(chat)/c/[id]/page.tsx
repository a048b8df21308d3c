// A conversation: loaded for the caller only. No session, a malformed id, an unknown id or
// someone else's conversation all answer the same 404 (checked first in ./layout.tsx), so
// nothing leaks about other visitors.

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { type ChatPersona, ChatView } from "@/components/chat/chat-view";
import { HistoryDrawer } from "@/components/history/history-drawer";
import { HistorySidebar } from "@/components/history/history-sidebar";
import { getVoiceCapabilities } from "@/lib/voice/capabilities";
import { loadConversation } from "./load-conversation";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const detail = await loadConversation((await params).id);
  return { title: detail?.persona ? `Chat with ${detail.persona.name}` : "Conversation" };
}

export default async function ConversationPage({ params }: Params) {
  const { id } = await params;
  const detail = await loadConversation(id);
  if (!detail) notFound();

  const persona: ChatPersona = detail.persona
    ? {
        id: detail.persona.id,
        name: detail.persona.name,
        tagline: detail.persona.tagline,
        avatarUrl: detail.persona.avatarUrl,
        greeting: detail.persona.greeting,
      }
    : {
        id: null,
        name: "Persona",
        tagline: "This persona is no longer available.",
        avatarUrl: null,
        greeting: "Hello! What is on your mind?",
      };

  // data-chat-shell: the chat layout then fills the screen exactly, so the page itself never
  // scrolls; the sidebar and the message list scroll on their own.
  return (
    <div data-chat-shell="" className="mx-auto flex min-h-0 w-full max-w-7xl flex-1">
      <HistorySidebar activeConversationId={detail.conversation.id} />
      <ChatView
        key={detail.conversation.id}
        conversation={detail.conversation}
        persona={persona}
        messages={detail.messages}
        hasMore={detail.hasMore}
        nextBefore={detail.nextBefore}
        allowance={detail.allowance}
        historyButton={<HistoryDrawer activeConversationId={detail.conversation.id} />}
        // Which voice controls to offer; signed-in users (no allowance) may also talk live.
        voice={{ ...getVoiceCapabilities(), signedIn: detail.allowance === null }}
      />
    </div>
  );
}
