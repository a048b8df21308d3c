// Loads a conversation for the caller, once per request (the layout, the page and the metadata
// share it). Null for a malformed id, no session, an unknown id or someone else's conversation.

import { cache } from "react";
import { isUuid } from "@/app/(chat)/ids";
import { getActor } from "@/lib/auth/actor";
import { getConversation } from "@/lib/chat/service";
import type { ConversationDetail } from "@/lib/chat/types";
import { ERROR_STATUS, isErrorCode } from "@/lib/errors";

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

/**
 * not_found / invalid_* from the domain. Checked by shape, not `instanceof AppError`: the database
 * layer can be bundled into a different chunk than this page, with its own copy of the class.
 */
function isMiss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isErrorCode(code) && (ERROR_STATUS[code] === 404 || ERROR_STATUS[code] === 400);
}
