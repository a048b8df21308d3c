// Loads a conversation for the caller, once per request (the layout, the page and the metadata
// share it). Null for a malformed id, no session, an unknown id or someone else's conversation.

import { cache } from "react";
import { getActor } from "@/lib/auth/actor";
import { getConversation } from "@/lib/chat/service";
import type { ConversationDetail } from "@/lib/chat/types";
import { isAppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

export const loadConversation = cache(async (id: string): Promise<ConversationDetail | null> => {
  if (!isUuid(id)) return null;
  const actor = await getActor();
  if (!actor) return null;
  try {
    return await getConversation(actor, id);
  } catch (error) {
    if (isMiss(error)) return null;
    throw error;
  }
});

/** not_found / invalid_* from the domain: the visitor sees a 404. */
function isMiss(error: unknown): boolean {
  return isAppError(error) && (error.status === 404 || error.status === 400);
}
