"use server";
// Server actions of the chat UI: start a conversation (from the gallery or an ended chat) and end
// one. They call the same domain functions as the HTTP API and map errors to a code + sentence.

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getActor, getOrCreateActor } from "@/lib/auth/actor";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { endConversation, startConversation } from "@/lib/chat/service";
import type { Conversation } from "@/lib/chat/types";
import { AppError, type ErrorCode, toAppError } from "@/lib/errors";
import { uuidSchema } from "@/lib/ids";

/** What an action hands back to the form that called it; redirects never return. */
export type ActionState = { error: ActionError | null };

const StartInput = z.object({ personaId: uuidSchema });

type ActionError = { code: ErrorCode; message: string };

function toActionError(error: unknown): ActionError {
  const e = toAppError(error);
  return { code: e.code, message: e.message };
}

/** Form action: starts a conversation with the posted persona and opens it. */
export async function startConversationAction(
  _previous: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const parsed = StartInput.safeParse({ personaId: formData.get("personaId") });
  if (!parsed.success) return { error: toActionError(new AppError("persona_not_found")) };

  let conversationId: string;
  try {
    const actor = await getOrCreateActor();
    const ip = clientIpFrom(await headers());
    const conversation = await startConversation(actor, parsed.data.personaId, ip);
    conversationId = conversation.id;
  } catch (error) {
    return { error: toActionError(error) };
  }
  // Outside the try: redirect() works by throwing.
  redirect(`/c/${conversationId}`);
}

export type EndResult =
  | { ok: true; conversation: Conversation }
  | { ok: false; error: ActionError };

/** Ends one of the caller's conversations (idempotent); afterwards it is read-only. */
export async function endConversationAction(conversationId: string): Promise<EndResult> {
  const parsed = uuidSchema.safeParse(conversationId);
  // A visitor without a session owns nothing: same answer as someone else's conversation.
  const actor = parsed.success ? await getActor() : null;
  if (!parsed.success || !actor)
    return {
      ok: false,
      error: toActionError(new AppError("not_found", "This conversation could not be found.")),
    };
  try {
    const conversation = await endConversation(actor, parsed.data);
    revalidatePath(`/c/${parsed.data}`);
    return { ok: true, conversation };
  } catch (error) {
    return { ok: false, error: toActionError(error) };
  }
}
