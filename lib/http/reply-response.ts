// The answer to POST /api/conversations/{id}/messages and /retry: one database call that saves
// (or finds) the user message, then the reply, streamed or as one JSON object.

import "server-only";
import { createUIMessageStreamResponse } from "ai";
import { after } from "next/server";
import { getReplyModel } from "@/lib/ai";
import { getActor } from "@/lib/auth/actor";
import { clientIpFrom } from "@/lib/auth/client-ip";
import {
  type ReplyInput,
  type ReplyResult,
  type RunReplyOptions,
  runReply,
  startReply,
} from "@/lib/chat/reply";
import { createReplyStream } from "@/lib/chat/reply-stream";
import { titleAfterFirstReply, wantsModelTitle } from "@/lib/chat/titles";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { jsonResponse, prefersJson } from "./respond";

/**
 * Errors before the reply starts (no session, not_found, conversation_ended, reply_in_progress,
 * guest_limit_reached, rate_limited, nothing_to_retry, retry_limit_reached) are thrown, so the
 * caller answers them as JSON with their status. After that: with `Accept: application/json` the whole result
 * `{userMessage, assistantMessage, allowance, conversation}` (a failed reply throws 503
 * reply_failed); otherwise the UI message stream of lib/chat/reply-stream.ts. Both run the same
 * runReply; the request's signal cancels it when the client goes away.
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
  const settings = getConfig().ai;
  const model = getReplyModel(settings);
  const context = await startReply(actor, conversationId, input, clientIpFrom(request.headers));
  const reply: Omit<RunReplyOptions, "onDelta"> = {
    actor,
    context,
    model,
    settings,
    abortSignal: request.signal,
  };
  // The first reply with a model configured: a title from it, once the response is done.
  if (input.kind !== "regenerate" && wantsModelTitle(settings, context)) {
    let settled: (result: ReplyResult | null) => void = () => {};
    const saved = new Promise<ReplyResult | null>((resolve) => {
      settled = resolve;
    });
    reply.onSettled = settled;
    afterResponse(async () => {
      const result = await saved;
      if (result) await titleAfterFirstReply(actor, context, result, model, settings);
    });
  }

  if (prefersJson(request)) {
    const result = await runReply(reply);
    return jsonResponse({
      userMessage: context.userMessage,
      assistantMessage: result.assistantMessage,
      allowance: context.allowance,
      conversation: result.conversation,
    });
  }
  return createUIMessageStreamResponse({
    stream: createReplyStream(reply),
    // Not no-store: Chromium reports a streamed fetch response marked no-store as cancelled
    // (net::ERR_ABORTED) even when it was read to the end. A POST answer is not reused anyway;
    // `private` keeps shared caches from storing it.
    headers: { "cache-control": "private, no-cache" },
  });
}

/**
 * Runs `task` once the response is done (Next.js `after`, which also keeps a serverless function
 * alive for it); outside a Next.js request (a script, a test calling the handler) it just runs.
 */
function afterResponse(task: () => Promise<void>): void {
  try {
    after(task);
  } catch {
    void task();
  }
}
