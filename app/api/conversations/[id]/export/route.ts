// GET /api/conversations/{id}/export: the whole conversation as a Markdown file to download
// (lib/chat/export.ts), every message however many pages it takes. No session, or somebody
// else's conversation: 404, as for the conversation itself.

import { getActor } from "@/lib/auth/actor";
import { conversationToMarkdown, exportFileName } from "@/lib/chat/export";
import { getConversation } from "@/lib/chat/service";
import type { ConversationDetail, Message } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { type ConversationRouteContext, exportParams } from "./schema";

export const dynamic = "force-dynamic";

/** Messages per read: get_conversation's largest page. */
const EXPORT_PAGE_SIZE = 200;

export const GET = withApi(async (_request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, exportParams);
  const actor = await getActor();
  if (!actor) throw new AppError("not_found", "Conversation not found.");

  // Pages come newest first, each oldest first: older pages go in front.
  let page: ConversationDetail = await getConversation(actor, id, { limit: EXPORT_PAGE_SIZE });
  const first = page;
  const pages: Message[][] = [page.messages];
  while (page.hasMore && page.nextBefore) {
    page = await getConversation(actor, id, { before: page.nextBefore, limit: EXPORT_PAGE_SIZE });
    pages.unshift(page.messages);
  }

  const personaName = first.persona?.name ?? null;
  const markdown = conversationToMarkdown({
    conversation: first.conversation,
    personaName,
    messages: pages.flat(),
  });
  return new Response(markdown, {
    status: 200,
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(first.conversation, personaName)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
