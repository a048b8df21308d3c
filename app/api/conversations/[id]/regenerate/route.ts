// POST /api/conversations/{id}/regenerate: replaces the newest reply (finished or stopped) with a
// new one to the same message. It does not use the guest allowance, but shares the message's
// retry budget (409 retry_limit_reached beyond) and the address's daily uses; 409
// nothing_to_retry when the newest message is not a reply, reply_in_progress while one streams.

import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { replyResponse } from "@/lib/http/reply-response";
import { type ConversationRouteContext, regenerateParams } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, regenerateParams);
  return replyResponse(request, id, { kind: "regenerate" });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
