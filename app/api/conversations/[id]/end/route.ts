// POST /api/conversations/{id}/end: ends the conversation (read-only from now on). Idempotent.

import { getActor } from "@/lib/auth/actor";
import { endConversation } from "@/lib/chat/service";
import { AppError } from "@/lib/errors";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { jsonResponse } from "@/lib/http/respond";
import { type ConversationRouteContext, endParams } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withApi(async (_request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, endParams);
  const actor = await getActor();
  if (!actor) throw new AppError("not_found", "Conversation not found.");
  return jsonResponse({ conversation: await endConversation(actor, id) });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
