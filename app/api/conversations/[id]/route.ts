// GET /api/conversations/{id}: the conversation, its persona, all its messages (oldest first)
// and the caller's guest allowance. No session, or somebody else's conversation: 404.

import { getActor } from "@/lib/auth/actor";
import { getConversation } from "@/lib/chat/service";
import { AppError } from "@/lib/errors";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { jsonResponse } from "@/lib/http/respond";
import { type ConversationRouteContext, conversationParams } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withApi(async (_request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const actor = await getActor();
  if (!actor) throw new AppError("not_found", "Conversation not found.");
  return jsonResponse(await getConversation(actor, id));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
