// The signed-in user's conversations for this request, read once however many places show them
// (the sidebar, the phone drawer, the home page's recent list). Null for guests and visitors.

import "server-only";
import { cache } from "react";
import { getActor } from "@/lib/auth/actor";
import { listConversations } from "@/lib/chat/service";
import type { ConversationSummary } from "@/lib/chat/types";

/** `conversations` is null when the list could not be read (the rest of the page still works). */
export type History = { conversations: ConversationSummary[] | null };

export const loadHistory = cache(async (): Promise<History | null> => {
  const actor = await getActor();
  if (actor?.kind !== "user") return null;
  try {
    return { conversations: await listConversations(actor) };
  } catch (error) {
    console.error("[history] could not list conversations", error);
    return { conversations: null };
  }
});
