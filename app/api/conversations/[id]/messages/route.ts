// POST /api/conversations/{id}/messages: saves the caller's message and answers with the
// persona's reply, streamed (AI SDK UI message stream) or, with Accept: application/json, whole.

import { readJsonBody } from "@/lib/http/body";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { replyResponse } from "@/lib/http/reply-response";
import { type ConversationRouteContext, conversationParams } from "../schema";
import { postMessageBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const { content } = await readJsonBody(request, postMessageBody);
  return replyResponse(request, id, { kind: "message", content });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
