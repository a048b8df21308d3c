// The built-in voice's figures for `npm run bench`: synthesis and MP3 encoding time per second of
// audio, and audio bytes per second, over a few replies of each default persona's voice.

import { createBuiltinSynthesizer } from "../lib/voice/builtin-voice";

const REPLIES = [
  "Ah, a good question, and like a good sauce it needs a moment to simmer.",
  "The secret is always the same: good ingredients, patience, and a little butter. Then you taste, and you adjust, and you taste again.",
  "Tell me, friend, what do you mean by courage? Is it knowing what to fear, or not fearing at all?",
  "Breathe in. Notice the breath. The mind wanders, and that is fine: return to the breath, again and again.",
];

const VOICES = [
  { voice: "en-gb+m3", pitch: 30, speed: 150 },
  { voice: "en-us+f3", pitch: 60, speed: 175 },
];

export async function benchSpeech(): Promise<void> {
  const synth = createBuiltinSynthesizer({ timeoutMs: 30_000 });
  try {
    // The first call starts the worker and the WebAssembly: measured apart.
    const coldStarted = performance.now();
    await synth.synthesize("Hello.", VOICES[0] ?? { voice: "en-gb", pitch: 50, speed: 165 });
    const coldMs = performance.now() - coldStarted;
    let audioMs = 0;
    let bytes = 0;
    let synthesizedMs = 0;
    let encodedMs = 0;
    let wallMs = 0;
    for (const voice of VOICES) {
      for (const text of REPLIES) {
        const started = performance.now();
        const audio = await synth.synthesize(text, voice);
        wallMs += performance.now() - started;
        audioMs += audio.durationMs;
        bytes += audio.bytes.byteLength;
        synthesizedMs += audio.timings.synthesizedMs;
        encodedMs += audio.timings.encodedMs;
      }
    }
    const perAudioSecond = (ms: number) => (ms / (audioMs / 1000)).toFixed(0);
    console.log("\n== built-in voice (eSpeak NG + MP3) ==");
    console.log(
      `audio produced             ${(audioMs / 1000).toFixed(1)} s in ${VOICES.length * REPLIES.length} replies`,
    );
    console.log(
      `synthesis per audio second ${perAudioSecond(synthesizedMs)} ms (+ ${perAudioSecond(encodedMs)} ms MP3 encoding; ${perAudioSecond(wallMs)} ms wall)`,
    );
    console.log(`bytes per audio second     ${(bytes / (audioMs / 1000)).toFixed(0)} B`);
    console.log(`first synthesis (cold)     ${coldMs.toFixed(0)} ms`);
  } finally {
    await synth.close();
  }
}
