// The voice settings in force: lib/config.ts parses them (ELEVENLABS_*, VOICE_*); tests pass
// their own to the modules directly or through setVoiceSettingsForTests.

import "server-only";
import { getConfig } from "@/lib/config";
import type { BuiltinVoice, VoiceSettings } from "./types";

export const VOICE_DEFAULTS = {
  elevenlabsBaseUrl: "https://api.elevenlabs.io",
  ttsModel: "eleven_flash_v2_5",
  sttModel: "scribe_v1",
  elevenlabsTimeoutMs: 20_000,
  maxSpeechChars: 1_000,
  synthesisTimeoutMs: 15_000,
} as const;

/** Upload bounds of POST .../voice (fixed by the API, not settings). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_UPLOAD_MS = 60_000;

/** A persona without a built-in voice of its own speaks with this one. */
export const DEFAULT_BUILTIN_VOICE: BuiltinVoice = Object.freeze({
  voice: "en-gb",
  pitch: 50,
  speed: 165,
});

/** A persona without an ElevenLabs voice of its own: "George", from ElevenLabs' default library. */
export const DEFAULT_ELEVENLABS_VOICE_ID = "JBFqnCBsd6RMkjVDRZzb";

export const BUILTIN_ONLY: VoiceSettings = Object.freeze({
  elevenlabs: null,
  maxSpeechChars: VOICE_DEFAULTS.maxSpeechChars,
  synthesisTimeoutMs: VOICE_DEFAULTS.synthesisTimeoutMs,
});

let forTests: VoiceSettings | undefined;

/** The process's voice settings (lib/config.ts). */
export function getVoiceSettings(): VoiceSettings {
  return forTests ?? getConfig().voice;
}

/** For tests: these settings instead of the configured ones (undefined: the configured again). */
export function setVoiceSettingsForTests(settings: VoiceSettings | undefined): void {
  forTests = settings;
}
