// POST /api/conversations starts a conversation (creating the guest session on first use);
// GET lists the caller's own, most recently active first.

import { getActor, getOrCreateActor } from "@/lib/auth/actor";
import { listConversations, startConversation } from "@/lib/chat/service";
import { readJsonBody } from "@/lib/http/body";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { jsonResponse } from "@/lib/http/respond";
import { createConversationBody } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => {
  // A visitor with no session has no conversations; reading must not create a session.
  const actor = await getActor();
  return jsonResponse({ conversations: actor ? await listConversations(actor) : [] });
});

export const POST = withApi(async (request) => {
  // Validate first, so a bad request does not leave a guest cookie behind.
  const { personaId } = await readJsonBody(request, createConversationBody);
  const actor = await getOrCreateActor();
  const conversation = await startConversation(actor, personaId);
  return jsonResponse({ conversation }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
