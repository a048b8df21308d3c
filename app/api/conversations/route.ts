// POST /api/conversations starts a conversation (creating the guest session on first use);
// GET lists the caller's own, most recently active first, a page at a time
// (`?before=<nextBefore of the previous page>`).

import { getActor, getOrCreateActor } from "@/lib/auth/actor";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { listConversationPage, startConversation } from "@/lib/chat/service";
import { readJsonBody } from "@/lib/http/body";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { jsonResponse } from "@/lib/http/respond";
import { parseInput } from "@/lib/http/validation";
import { createConversationBody, listConversationsQuery } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withApi(async (request) => {
  const { before } = parseInput(
    listConversationsQuery,
    Object.fromEntries(new URL(request.url).searchParams),
    "That page of conversations does not exist; start again from the first page.",
  );
  // A visitor with no session has no conversations; reading must not create a session.
  const actor = await getActor();
  if (!actor) return jsonResponse({ conversations: [], hasMore: false, nextBefore: null });
  return jsonResponse(await listConversationPage(actor, { before }));
});

export const POST = withApi(async (request) => {
  // Validate first, so a bad request does not leave a guest cookie behind.
  const { personaId } = await readJsonBody(request, createConversationBody);
  const actor = await getOrCreateActor();
  const conversation = await startConversation(actor, personaId, clientIpFrom(request.headers));
  return jsonResponse({ conversation }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
