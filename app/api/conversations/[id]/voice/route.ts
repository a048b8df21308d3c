// POST /api/conversations/{id}/voice: a voice message. The recording (multipart field `audio`:
// webm, ogg, wav or mp3, at most 10 MB and 60 s) is transcribed, and then the answer is exactly
// that of POST .../messages with the transcript as the content: the same stream or JSON, the
// same allowance (a voice message is one message), the same errors. The message keeps its
// recording (audioUrl). Without speech-to-text (no ElevenLabs key): 503 speech_unavailable.

import { getActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { withApi } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseParams } from "@/lib/http/params";
import { replyResponse } from "@/lib/http/reply-response";
import { parseInput } from "@/lib/http/validation";
import { getSpeechPort } from "@/lib/voice/speech";
import { readVoiceUpload } from "@/lib/voice/upload";
import { transcribeVoiceMessage } from "@/lib/voice/voice-message";
import { type ConversationRouteContext, conversationParams } from "../schema";
import { voiceTranscript } from "./schema";

export const dynamic = "force-dynamic";

export const POST = withApi(
  async (request, context: ConversationRouteContext) => {
    const { id } = await parseParams(context.params, conversationParams);
    const speech = getSpeechPort();
    if (!speech.canTranscribe) throw new AppError("speech_unavailable");
    const actor = await getActor();
    // No session owns nothing, as for a typed message; nothing is read or transcribed.
    if (!actor) throw new AppError("not_found", "Conversation not found.");

    const recording = await readVoiceUpload(request);
    const transcript = await transcribeVoiceMessage(actor, id, recording, speech, request.signal);
    const { content } = parseInput(voiceTranscript, { content: transcript });
    return replyResponse(request, id, { kind: "voice", content, recording });
  },
  { accepts: ["multipart"] },
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
