// What voice features this deployment offers, for the screens: spoken replies always (ElevenLabs
// or the built-in voice), voice messages only with speech-to-text (ElevenLabs), live sessions
// only with an ElevenLabs agent (and then to signed-in users only).

import "server-only";
import { getVoiceSettings } from "./settings";
import type { VoiceSettings } from "./types";

export type VoiceCapabilities = {
  engine: "elevenlabs" | "builtin";
  spokenReplies: true;
  voiceMessages: boolean;
  liveSessions: boolean;
};

export function getVoiceCapabilities(
  settings: VoiceSettings = getVoiceSettings(),
): VoiceCapabilities {
  return {
    engine: settings.elevenlabs ? "elevenlabs" : "builtin",
    spokenReplies: true,
    voiceMessages: settings.elevenlabs !== null,
    liveSessions: Boolean(settings.elevenlabs?.agentId),
  };
}
