// The audio of a message: a persona's reply is synthesized with the persona's voice on its first
// request and stored; later requests serve what is stored. A visitor's voice message is stored
// with the message itself (postVoiceMessage). Ownership is the SQL functions' to check.

import "server-only";
import { randomUUID } from "node:crypto";
import {
  getMessageAudio,
  postVoiceMessage as postVoiceMessageRpc,
  saveMessageAudio,
} from "@/lib/chat/service";
import type { Actor, ReplyContext } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import { type AudioStore, getAudioStore } from "./audio-store";
import { getVoiceSettings } from "./settings";
import { getSpeechPort } from "./speech";
import { speechText } from "./speech-text";
import type { AudioContentType, SpeechPort } from "./types";

export type MessageAudio = {
  bytes: Uint8Array;
  contentType: AudioContentType;
  durationMs: number;
  /** Changes only if the stored audio does (it never does once stored). */
  etag: string;
};

/** A recording the visitor sent, already checked (lib/voice/audio-format.ts). */
export type VoiceRecording = {
  bytes: Uint8Array;
  contentType: AudioContentType;
  durationMs: number;
};

export type MessageAudioDeps = {
  speech?: SpeechPort;
  store?: AudioStore;
  maxSpeechChars?: number;
};

const EXTENSIONS: Record<AudioContentType, string> = {
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "audio/ogg": "ogg",
  "audio/webm": "webm",
};

const etagOf = (messageId: string, byteSize: number) => `"${messageId}-${byteSize}"`;

// Two requests for the same unspoken reply (a browser often sends a second, ranged one at once)
// share one synthesis instead of running two.
const inFlight = new Map<string, Promise<MessageAudio>>();

/**
 * The audio of message `messageId` of the caller's conversation. Throws not_found for somebody
 * else's conversation, a message of another conversation, and a message that has no audio and
 * is not a persona's reply; speech_failed when the synthesis fails (nothing is stored then).
 */
export async function readMessageAudio(
  actor: Actor,
  conversationId: string,
  messageId: string,
  deps: MessageAudioDeps = {},
): Promise<MessageAudio> {
  const store = deps.store ?? getAudioStore();
  const found = await getMessageAudio(actor, conversationId, messageId);
  if (found.audio) {
    return {
      bytes: await store.read(found.audio),
      contentType: found.audio.contentType,
      durationMs: found.audio.durationMs,
      etag: etagOf(messageId, found.audio.byteSize),
    };
  }
  if (found.message.role !== "assistant") {
    throw new AppError("not_found", "This message has no audio.");
  }

  const key = `${conversationId}/${messageId}`;
  const running = inFlight.get(key);
  if (running) return running;
  const work = (async () => {
    const { text } = speechText(
      found.message.content,
      deps.maxSpeechChars ?? getVoiceSettings().maxSpeechChars,
    );
    if (!text) throw new AppError("not_found", "Nothing in this message can be spoken.");
    const speech = deps.speech ?? getSpeechPort();
    // Not cancelled when the client goes away: players often drop their first request and ask
    // again with a Range, which then finds the audio stored (synthesis time is bounded anyway).
    const audio = await speech.synthesize(text, found.voice);

    const placement = await store.put(
      conversationId,
      `${messageId}.${EXTENSIONS[audio.contentType]}`,
      audio.bytes,
      audio.contentType,
    );
    let saved: Awaited<ReturnType<typeof saveMessageAudio>>;
    try {
      saved = await saveMessageAudio(actor, conversationId, messageId, {
        contentType: audio.contentType,
        byteSize: audio.bytes.byteLength,
        durationMs: audio.durationMs,
        ...placement,
      });
    } catch (error) {
      await store.discard(placement);
      throw error;
    }
    if (!saved.created) {
      // Another server instance stored this reply's audio first: serve that one, as later
      // requests will.
      await store.discard(placement);
      return readMessageAudio(actor, conversationId, messageId, deps);
    }
    return {
      bytes: audio.bytes,
      contentType: audio.contentType,
      durationMs: audio.durationMs,
      etag: etagOf(messageId, audio.bytes.byteLength),
    };
  })();
  inFlight.set(key, work);
  try {
    return await work;
  } finally {
    inFlight.delete(key);
  }
}

/**
 * Posts a voice message: exactly a text message with `content` (the transcript), the same
 * checks, guest allowance and limits (`ip`: the client address key, clientIpFrom), with the
 * recording stored in the same transaction. Whatever refuses the post (the cap, a reply in
 * progress, an ended conversation, not_found) leaves nothing stored.
 */
export async function postVoiceMessage(
  actor: Actor,
  conversationId: string,
  content: string,
  recording: VoiceRecording,
  deps: Pick<MessageAudioDeps, "store"> & { ip?: string } = {},
): Promise<ReplyContext> {
  const store = deps.store ?? getAudioStore();
  const placement = await store.put(
    conversationId,
    `voice-${randomUUID()}.${EXTENSIONS[recording.contentType]}`,
    recording.bytes,
    recording.contentType,
  );
  try {
    return await postVoiceMessageRpc(
      actor,
      conversationId,
      content,
      {
        contentType: recording.contentType,
        byteSize: recording.bytes.byteLength,
        durationMs: recording.durationMs,
        ...placement,
      },
      deps.ip,
    );
  } catch (error) {
    await store.discard(placement);
    throw error;
  }
}
