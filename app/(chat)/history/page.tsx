// /history: the signed-in user's conversations as a full page (the sidebar's content, for phones).

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { conversationMenus } from "@/components/history/conversation-actions";
import { ConversationList } from "@/components/history/conversation-list";
import { buttonClass } from "@/components/ui/button-styles";
import { StatePanel } from "@/components/ui/state-panel";
import { getActor } from "@/lib/auth/actor";
import { listConversations } from "@/lib/chat/service";
import type { ConversationSummary } from "@/lib/chat/types";

export const metadata: Metadata = { title: "Your conversations" };
export const dynamic = "force-dynamic";

export default async function HistoryPage() {
  const actor = await getActor();
  if (actor?.kind !== "user") redirect("/login?next=/history");

  let conversations: ConversationSummary[] | null = null;
  try {
    conversations = await listConversations(actor);
  } catch (error) {
    console.error("[history] could not list conversations", error);
  }

  return (
    <div className="mx-auto w-full max-w-2xl px-2 py-6 sm:px-6 sm:py-10">
      <div className="mb-4 flex items-center justify-between gap-3 px-2">
        <h1 className="font-bold text-2xl tracking-tight">Your conversations</h1>
        <Link href="/" className={buttonClass("secondary", "sm")}>
          New chat
        </Link>
      </div>
      {conversations === null ? (
        <StatePanel
          tone="error"
          title="We could not load your conversations"
          testId="history-error"
        >
          Something went wrong on our side. Reload the page to try again.
        </StatePanel>
      ) : conversations.length === 0 ? (
        <StatePanel
          title="No conversations yet"
          testId="history-empty"
          action={
            <Link href="/" className={buttonClass("primary")}>
              Pick a persona
            </Link>
          }
        >
          Your conversations will appear here.
        </StatePanel>
      ) : (
        <ConversationList conversations={conversations} itemActions={conversationMenus()} />
      )}
    </div>
  );
}
