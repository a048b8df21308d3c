// /api/conversations/{id}: one of the caller's conversations. No session, or somebody else's
// conversation: 404 for every method.
//   GET: the conversation, its persona, the caller's guest allowance and its newest 50 messages
//     (oldest first), with `hasMore` and `nextBefore` for the earlier ones: `?before=<nextBefore>`
//     (a message id) answers the 50 before it.
//   PATCH {title}: renames it (1 to 100 characters after trimming); answers {conversation}.
//   DELETE: deletes it with its messages and their audio, for good; answers 204.

import { getActor } from "@/lib/auth/actor";
import { deleteConversation, getConversation, renameConversation } from "@/lib/chat/service";
import type { Actor } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { jsonResponse } from "@/lib/http/respond";
import { parseInput } from "@/lib/http/validation";
import { getAudioStore } from "@/lib/voice/audio-store";
import {
  type ConversationRouteContext,
  conversationParams,
  conversationQuery,
  renameConversationBody,
} from "./schema";

export const dynamic = "force-dynamic";

/** The caller; a visitor with no session owns nothing, so it is the same 404 as a stranger. */
async function owner(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new AppError("not_found", "Conversation not found.");
  return actor;
}

export const GET = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const { before } = parseInput(
    conversationQuery,
    Object.fromEntries(new URL(request.url).searchParams),
    "`before` must be the id of a message of this conversation.",
  );
  return jsonResponse(await getConversation(await owner(), id, { before }));
});

export const PATCH = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const { title } = await readJsonBody(request, renameConversationBody);
  return jsonResponse({ conversation: await renameConversation(await owner(), id, title) });
});

export const DELETE = withApi(async (_request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const deleted = await deleteConversation(await owner(), id);
  // The rows went with the conversation; its audio in Storage (supabase mode) goes now. A
  // failure here is logged by the store and leaves an orphaned object, never the conversation.
  const store = getAudioStore();
  for (const storagePath of deleted.storagePaths) {
    await store.discard({ dataBase64: null, storagePath });
  }
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
