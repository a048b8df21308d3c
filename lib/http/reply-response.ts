// The answer to POST /api/conversations/{id}/messages and /retry: one database call that saves
// (or finds) the user message, then the reply, streamed or as one JSON object.

import { createUIMessageStreamResponse } from "ai";
import { getReplyEngine } from "@/lib/ai";
import { getActor } from "@/lib/auth/actor";
import { type ReplyInput, runReply, startReply } from "@/lib/chat/reply";
import { createReplyStream } from "@/lib/chat/reply-stream";
import { AppError } from "@/lib/errors";
import { jsonResponse, prefersJson } from "./respond";

/**
 * Errors before the reply starts (no session, not_found, conversation_ended,
 * guest_limit_reached, nothing_to_retry) are thrown, so the caller answers them as JSON with
 * their status. After that: with `Accept: application/json` the whole result
 * `{userMessage, assistantMessage, allowance, conversation}` (a failed reply throws 503
 * reply_failed); otherwise the UI message stream of lib/chat/reply-stream.ts.
 */
export async function replyResponse(
  request: Request,
  conversationId: string,
  input: ReplyInput,
): Promise<Response> {
  const actor = await getActor();
  // No session owns nothing: the same answer as somebody else's conversation, with no lookup.
  if (!actor) throw new AppError("not_found", "Conversation not found.");
  // Before anything is saved, so a bad AI setting does not cost the guest a message.
  const engine = getReplyEngine();
  const context = await startReply(actor, conversationId, input);

  if (prefersJson(request)) {
    const result = await runReply({ actor, context, engine, signal: request.signal });
    return jsonResponse({
      userMessage: context.userMessage,
      assistantMessage: result.assistantMessage,
      allowance: context.allowance,
      conversation: result.conversation,
    });
  }
  return createUIMessageStreamResponse({
    stream: createReplyStream({ actor, context, engine, signal: request.signal }),
    headers: { "cache-control": "no-store" },
  });
}
