// What the voice specs need from Playwright: their ports (after the three of ./e2e-ports.ts, from
// the same E2E_PORT, so builds can still run side by side), which specs they are, and Chromium's
// fake media devices: a microphone that plays e2e/fixtures/fake-microphone.wav, permission granted
// without a prompt, and the Agents stand-in's host name (under elevenlabs.io, so the page's CSP
// applies as it would to ElevenLabs itself) resolved to this machine.

import path from "node:path";

const base = Number(process.env.E2E_PORT ?? 3100);

export const VOICE_PORTS = {
  /** The production build again, with ELEVENLABS_* pointing at the stand-in. */
  app: base + 3,
  /** The ElevenLabs HTTP stand-in (ELEVENLABS_BASE_URL). */
  elevenlabs: base + 4,
  /** The Agents WebSocket stand-in, over TLS (signed URLs are wss://, as ElevenLabs' are). */
  agents: base + 5,
} as const;

/** The host name the stand-in's signed URLs use; Chromium resolves it to 127.0.0.1. */
export const AGENTS_STAND_IN_HOST = "agents.stand-in.elevenlabs.io";

export const VOICE_SPECS = /voice[^/]*\.spec\.ts$/;

export const VOICE_API_KEY = "sk_e2e_stand_in";
export const VOICE_AGENT_ID = "agent_e2e_stand_in";

export const FAKE_MICROPHONE_WAV = path.join(
  import.meta.dirname,
  "..",
  "fixtures",
  "fake-microphone.wav",
);

/** Chromium flags for the voice project, on top of the shared ones. */
export const VOICE_CHROMIUM_ARGS = [
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  `--use-file-for-fake-audio-capture=${FAKE_MICROPHONE_WAV}`,
  `--host-resolver-rules=MAP ${AGENTS_STAND_IN_HOST}:443 127.0.0.1:${VOICE_PORTS.agents}`,
  // The stand-in's certificate is self-signed (made at start-up for AGENTS_STAND_IN_HOST).
  "--ignore-certificate-errors",
];
