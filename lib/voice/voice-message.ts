// A voice message before it is posted: what the recording says, found only once the post could
// succeed, so that a recording for a conversation that is not the caller's, has ended, or is
// over the guest allowance costs no speech-to-text call. The post itself (lib/chat/reply.ts,
// kind "voice") then applies the same rules atomically, exactly as for a typed message.

import "server-only";
import { getConversation } from "@/lib/chat/service";
import type { Actor } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import type { VoiceRecording } from "./message-audio";
import type { SpeechPort } from "./types";

/**
 * The transcript of `recording`, trimmed, to be posted as the message's content. Throws the
 * errors the post would (not_found, conversation_ended, guest_limit_reached, reply_in_progress)
 * before anything is transcribed, so a refused voice message costs no speech-to-text;
 * speech_failed when the speech service fails, and invalid_audio when no words were heard.
 */
export async function transcribeVoiceMessage(
  actor: Actor,
  conversationId: string,
  recording: VoiceRecording,
  speech: SpeechPort,
  signal?: AbortSignal,
): Promise<string> {
  const { conversation, allowance, messages } = await getConversation(actor, conversationId, {
    limit: 1,
  });
  // The sentences post_user_message raises, so the answer is the same as for a typed message.
  if (conversation.status === "ended") {
    throw new AppError("conversation_ended", "This conversation has ended.");
  }
  if (allowance && allowance.remaining <= 0) {
    throw new AppError(
      "guest_limit_reached",
      "The guest message limit has been reached. Sign up to keep chatting.",
    );
  }
  // The newest message unanswered while the conversation reads `active` (not `error`): a reply
  // holds the lease. The post would refuse it after the transcription; refuse it before.
  if (conversation.status === "active" && messages.at(-1)?.role === "user") {
    throw new AppError(
      "reply_in_progress",
      "A reply is still being written in this conversation. Wait for it to finish, then try again.",
    );
  }
  const text = (await speech.transcribe(recording.bytes, recording.contentType, signal)).trim();
  if (!text) throw new AppError("invalid_audio", "No words were heard in the recording.");
  return text;
}
