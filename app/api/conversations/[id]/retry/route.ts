// POST /api/conversations/{id}/retry: answers the last, unanswered user message again (after a
// failed reply). Counts nothing against the guest allowance; 409 nothing_to_retry otherwise.

import { withErrorHandling } from "@/lib/http/errors";
import { parseParams } from "@/lib/http/params";
import { replyResponse } from "@/lib/http/reply-response";
import { type ConversationRouteContext, retryParams } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, retryParams);
  return replyResponse(request, id, { kind: "retry" });
});
