// After the first reply of a conversation is saved: a title from the model, when one is
// configured. It runs after the response (Next.js `after`), so it never delays the reply, and it
// renames only while the title is still the first-words one set when the message was posted, so
// a title the owner chose meanwhile is kept. A failure is logged and changes nothing.

import "server-only";
import { type AiSettings, makeTitle, type ReplyModel } from "@/lib/ai";
import type { ReplyResult } from "./reply";
import { renameConversation } from "./service";
import type { Actor, ReplyContext } from "./types";

/** Whether a model title is wanted for this reply: the first exchange, with a remote model. */
export function wantsModelTitle(settings: AiSettings, context: ReplyContext): boolean {
  return (
    settings.model.kind === "openai-compatible" &&
    context.history.filter((turn) => turn.role === "user").length === 1
  );
}

export async function titleAfterFirstReply(
  actor: Actor,
  context: ReplyContext,
  result: ReplyResult,
  model: ReplyModel,
  settings: Pick<AiSettings, "timeoutMs">,
): Promise<void> {
  const { conversation } = context;
  if (result.assistantMessage.stopped || result.assistantMessage.content.trim() === "") return;
  try {
    const title = await makeTitle(
      model,
      { message: context.userMessage.content, reply: result.assistantMessage.content },
      { timeoutMs: settings.timeoutMs },
    );
    if (!title || title === conversation.title) return;
    await renameConversation(actor, conversation.id, title, {
      expectedTitle: conversation.title,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.warn(`[title] ${conversation.id}: no model title: ${why}`);
  }
}
