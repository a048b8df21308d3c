// GET /api/conversations/{id}: the conversation, its persona, the caller's guest allowance and
// its newest 50 messages (oldest first), with `hasMore` and `nextBefore` for the earlier ones:
// `?before=<nextBefore>` (a message id) answers the 50 before it. No session, or somebody else's
// conversation: 404.

import { getActor } from "@/lib/auth/actor";
import { getConversation } from "@/lib/chat/service";
import { AppError } from "@/lib/errors";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { jsonResponse } from "@/lib/http/respond";
import { parseInput } from "@/lib/http/validation";
import { type ConversationRouteContext, conversationParams, conversationQuery } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const { before } = parseInput(
    conversationQuery,
    Object.fromEntries(new URL(request.url).searchParams),
    "`before` must be the id of a message of this conversation.",
  );
  const actor = await getActor();
  if (!actor) throw new AppError("not_found", "Conversation not found.");
  return jsonResponse(await getConversation(actor, id, { before }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
