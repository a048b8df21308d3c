// POST /api/conversations/{id}/voice-session: live voice conversations through ElevenLabs Agents,
// for signed-in users (guests: 403 sign_in_required; not configured: 503 voice_unavailable).
//   {"action": "start"} → {signedUrl, overrides, dynamicVariables}: what the browser passes to
//     @elevenlabs/client's Conversation.startSession; the API key stays on the server.
//   {"action": "end", "sessionId"} → 200 {status: "saved", saved, messageCount, conversation}
//     once the transcript is saved as messages (saved: false when it was saved before), or 202
//     {status: "processing"} while ElevenLabs is still finishing it: ask again shortly.

import { getActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { jsonResponse } from "@/lib/http/respond";
import { getVoiceSettings } from "@/lib/voice/settings";
import { finishVoiceSession, startVoiceSession } from "@/lib/voice/voice-session";
import { type ConversationRouteContext, conversationParams } from "../schema";
import { voiceSessionBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withApi(async (request, context: ConversationRouteContext) => {
  const { id } = await parseParams(context.params, conversationParams);
  const body = await readJsonBody(request, voiceSessionBody);
  if (!getVoiceSettings().elevenlabs?.agentId) throw new AppError("voice_unavailable");
  const actor = await getActor();
  if (actor?.kind !== "user") {
    throw new AppError("sign_in_required", "Sign up or sign in to talk live with a persona.");
  }

  if (body.action === "start") return jsonResponse(await startVoiceSession(actor, id));
  const result = await finishVoiceSession(actor, id, body.sessionId);
  return jsonResponse(result, { status: result.status === "processing" ? 202 : 200 });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
