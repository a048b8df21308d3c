// The voice layer's types: its settings, a persona's voices, and the speech port every engine
// (ElevenLabs, the built-in eSpeak NG voice) implements.

import type { Conversation, Message } from "@/lib/chat/types";

/** ElevenLabs, used for speech when an API key is set. */
export type ElevenLabsSettings = {
  apiKey: string;
  /** Default https://api.elevenlabs.io; tests and proxies point it elsewhere. */
  baseUrl: string;
  /** The Agents agent for live voice conversations; null: live conversations are off. */
  agentId: string | null;
  /** Text-to-speech model (model_id of POST /v1/text-to-speech/{voice_id}). */
  ttsModel: string;
  /** Speech-to-text model (model_id of POST /v1/speech-to-text). */
  sttModel: string;
  /** A request to ElevenLabs that takes longer fails with speech_failed. */
  timeoutMs: number;
};

export type VoiceSettings = {
  elevenlabs: ElevenLabsSettings | null;
  /** A reply longer than this is spoken up to its last whole sentence within the limit. */
  maxSpeechChars: number;
  /** The built-in voice gives up on one reply after this long (its worker is restarted). */
  synthesisTimeoutMs: number;
};

/** The built-in voice's parameters, as personas.voice holds them. */
export type BuiltinVoice = {
  /** eSpeak NG voice and variant, e.g. "en-gb+m3". */
  voice: string;
  /** 0-99, 50 is the voice's own. */
  pitch: number;
  /** Words per minute, 80-450. */
  speed: number;
};

/** A persona's voices: one per engine. Null: the engine's default voice. */
export type PersonaVoice = {
  elevenlabsVoiceId: string | null;
  builtin: BuiltinVoice | null;
};

export type AudioContentType = "audio/mpeg" | "audio/wav" | "audio/ogg" | "audio/webm";

export type SynthesizedAudio = {
  bytes: Uint8Array;
  contentType: AudioContentType;
  durationMs: number;
};

/** Speech, behind one port like the reply engine: chosen once from the settings. */
export interface SpeechPort {
  readonly kind: "elevenlabs" | "builtin";
  /** False for the built-in voice, which speaks but does not listen. */
  readonly canTranscribe: boolean;
  /** The text spoken with `voice`. Throws AppError speech_failed when the engine fails. */
  synthesize(text: string, voice: PersonaVoice, signal?: AbortSignal): Promise<SynthesizedAudio>;
  /** What the recording says. Throws speech_unavailable without speech-to-text, speech_failed on failure. */
  transcribe(
    bytes: Uint8Array,
    contentType: AudioContentType,
    signal?: AbortSignal,
  ): Promise<string>;
}

// What the voice SQL functions return, as lib/db/results.ts parses it -------------------------

/** A recording as chat_private.message_audio holds it; `data` (base64) in the database modes. */
export type StoredAudio = {
  contentType: AudioContentType;
  byteSize: number;
  durationMs: number;
  storagePath: string | null;
  data: string | null;
  createdAt: string;
};

/** get_message_audio: the message, its audio if stored, and the persona's voices. */
export type MessageAudioRecord = {
  message: Message;
  audio: StoredAudio | null;
  voice: PersonaVoice;
};

/** save_message_audio: what is stored now; `created` false when an earlier recording was kept. */
export type SavedAudio = Omit<StoredAudio, "data"> & { created: boolean; audioUrl: string };

/** Where post_voice_message / save_message_audio find the bytes: exactly one of the two. */
export type AudioRecordArgs = {
  contentType: AudioContentType;
  byteSize: number;
  durationMs: number;
  dataBase64: string | null;
  storagePath: string | null;
};

/** get_voice_session_context: what a live session with the persona needs. */
export type VoiceSessionContext = {
  conversation: Conversation;
  persona: {
    id: string;
    slug: string;
    name: string;
    systemPrompt: string;
    greeting: string;
    voice: PersonaVoice;
  } | null;
};

/** save_voice_transcript: `saved` false when this session's turns were saved before. */
export type SavedTranscript = {
  saved: boolean;
  messageCount: number;
  conversation: Conversation;
};
