// The speech port, chosen once from the settings like the reply engine: ElevenLabs when an API key
// is set (it speaks and listens), otherwise the built-in eSpeak NG voice (it only speaks: voice
// messages then answer 503 speech_unavailable).

import "server-only";
import { AppError } from "@/lib/errors";
import { createBuiltinSynthesizer } from "./builtin-voice";
import { createElevenLabsClient } from "./elevenlabs";
import { DEFAULT_BUILTIN_VOICE, DEFAULT_ELEVENLABS_VOICE_ID, getVoiceSettings } from "./settings";
import type { SpeechPort, VoiceSettings } from "./types";

export function createSpeechPort(
  settings: VoiceSettings,
  fetchImpl: typeof fetch = fetch,
): SpeechPort {
  if (settings.elevenlabs) {
    const client = createElevenLabsClient(settings.elevenlabs, fetchImpl);
    return {
      kind: "elevenlabs",
      canTranscribe: true,
      synthesize: (text, voice, signal) =>
        client.textToSpeech(text, voice.elevenlabsVoiceId ?? DEFAULT_ELEVENLABS_VOICE_ID, signal),
      transcribe: (bytes, contentType, signal) => client.speechToText(bytes, contentType, signal),
    };
  }
  const builtin = createBuiltinSynthesizer({ timeoutMs: settings.synthesisTimeoutMs });
  return {
    kind: "builtin",
    canTranscribe: false,
    async synthesize(text, voice, signal) {
      const { bytes, contentType, durationMs } = await builtin.synthesize(
        text,
        voice.builtin ?? DEFAULT_BUILTIN_VOICE,
        { signal },
      );
      return { bytes, contentType, durationMs };
    },
    async transcribe() {
      throw new AppError("speech_unavailable");
    },
  };
}

const globalForSpeech = globalThis as unknown as {
  __personaSpeech?: { settings: VoiceSettings; port: SpeechPort };
};

/** The process's speech port (one built-in worker per process, kept across dev reloads). */
export function getSpeechPort(): SpeechPort {
  const settings = getVoiceSettings();
  const cached = globalForSpeech.__personaSpeech;
  if (cached && cached.settings === settings) return cached.port;
  const port = createSpeechPort(settings);
  globalForSpeech.__personaSpeech = { settings, port };
  return port;
}
