// GET /api/conversations/{id}/messages/{messageId}/audio: the message's audio. A persona's reply
// is spoken with the persona's voice on its first request and stored; later requests serve the
// stored audio. Range requests answer 206 so that players can seek. No session, somebody else's
// conversation, an unknown message or one of another conversation: 404.

import { getActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { audioResponse } from "@/lib/voice/audio-response";
import { readMessageAudio } from "@/lib/voice/message-audio";
import { type MessageAudioRouteContext, messageAudioParams } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withApi(async (request, context: MessageAudioRouteContext) => {
  const { id, messageId } = await parseParams(context.params, messageAudioParams);
  const actor = await getActor();
  if (!actor) throw new AppError("not_found", "Conversation not found.");
  const audio = await readMessageAudio(actor, id, messageId);
  return audioResponse(request, audio);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
