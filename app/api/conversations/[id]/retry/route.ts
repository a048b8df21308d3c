// POST /api/conversations/{id}/retry: answers the last, unanswered user message again (after a
// failed reply). Counts nothing against the guest allowance; 409 nothing_to_retry otherwise.

import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { replyResponse } from "@/lib/http/reply-response";
import { type ConversationRouteContext, retryParams } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, retryParams);
  return replyResponse(request, id, { kind: "retry" });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
