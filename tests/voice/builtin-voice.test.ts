// The built-in offline voice (eSpeak NG in WebAssembly, MP3 by LAME) makes real audio: valid MPEG
// frames, a duration that fits the words at the persona's speed, and different personas sound
// different. Its worker is stopped when it takes too long, and the next reply still speaks.

import { afterAll, describe, expect, it } from "vitest";
import { mp3FrameAt, probeAudio } from "@/lib/voice/audio-format";
import { BUILTIN_MP3_KBPS, createBuiltinSynthesizer } from "@/lib/voice/builtin-voice";
import { createSpeechPort } from "@/lib/voice/speech";
import type { BuiltinVoice } from "@/lib/voice/types";
import { expectAppError } from "../domain/scenarios";

// The voices of two default personas (supabase/migrations/20251201000200_persona_voices_and_audio.sql).
const SOCRATES: BuiltinVoice = { voice: "en-gb-x-rp+m1", pitch: 35, speed: 150 };
const CAPTAIN_NOVA: BuiltinVoice = { voice: "en-us+f3", pitch: 62, speed: 175 };

const TEXT =
  "Greetings, friend. I know only that I know nothing, so perhaps you can teach me. What is on your mind today?";
const WORDS = TEXT.split(/\s+/).length;

const synthesizer = createBuiltinSynthesizer({ timeoutMs: 30_000 });
afterAll(() => synthesizer.close());

describe("the built-in voice", () => {
  it("writes MPEG-2 Layer III frames at 22.05 kHz and 32 kbit/s whose length is the duration", async () => {
    const audio = await synthesizer.synthesize(TEXT, SOCRATES);
    expect(audio.contentType).toBe("audio/mpeg");

    // The frame header, bit by bit: sync, MPEG-2, Layer III, 32 kbit/s, 22.05 kHz.
    const [b0, b1, b2] = audio.bytes;
    expect(b0).toBe(0xff);
    expect((b1 ?? 0) >> 5).toBe(0b111);
    expect(((b1 ?? 0) >> 3) & 3).toBe(0b10);
    expect(((b1 ?? 0) >> 1) & 3).toBe(0b01);
    expect((b2 ?? 0) >> 4).toBe(4);
    expect(((b2 ?? 0) >> 2) & 3).toBe(0);
    expect(mp3FrameAt(audio.bytes, 0)).toEqual({ length: 104, samples: 576, sampleRate: 22050 });

    // Constant bit rate: the size is the duration times 32 kbit/s, within the encoder's padding.
    const seconds = audio.durationMs / 1000;
    expect(audio.bytes.byteLength).toBeGreaterThan(
      ((seconds * BUILTIN_MP3_KBPS * 1000) / 8) * 0.98,
    );
    expect(audio.bytes.byteLength).toBeLessThan(((seconds * BUILTIN_MP3_KBPS * 1000) / 8) * 1.06);
    const probed = probeAudio(audio.bytes);
    expect(probed?.container).toBe("mp3");
    expect(Math.abs((probed?.durationMs ?? 0) - audio.durationMs)).toBeLessThan(150);

    // 20 words at 150 words a minute is 8 s of speech; pauses at the commas and full stops and
    // eSpeak's own pacing keep it within a factor of 1.5 either way.
    const expected = (WORDS / SOCRATES.speed) * 60_000;
    expect(audio.durationMs).toBeGreaterThan(expected / 1.5);
    expect(audio.durationMs).toBeLessThan(expected * 1.5);

    const msPerSecond = (audio.timings.synthesizedMs + audio.timings.encodedMs) / seconds;
    console.info(
      `[voice] built-in: ${audio.durationMs} ms of audio, ${audio.bytes.byteLength} bytes ` +
        `(${Math.round(audio.bytes.byteLength / seconds)} B/s), synthesis ${Math.round(audio.timings.synthesizedMs)} ms ` +
        `+ MP3 ${Math.round(audio.timings.encodedMs)} ms = ${Math.round(msPerSecond)} ms per audio second`,
    );
  });

  it("speaks longer text for longer, and faster at a higher speed", async () => {
    const short = await synthesizer.synthesize("Hello.", SOCRATES);
    const long = await synthesizer.synthesize(TEXT, SOCRATES);
    const fast = await synthesizer.synthesize(TEXT, { ...SOCRATES, speed: 300 });
    expect(short.durationMs).toBeGreaterThan(200);
    expect(short.durationMs).toBeLessThan(2000);
    expect(long.durationMs).toBeGreaterThan(short.durationMs * 4);
    expect(fast.durationMs).toBeLessThan(long.durationMs * 0.75);
  });

  it("two personas sound different: other parameters, other audio", async () => {
    const socrates = await synthesizer.synthesize(TEXT, SOCRATES);
    const nova = await synthesizer.synthesize(TEXT, CAPTAIN_NOVA);
    const again = await synthesizer.synthesize(TEXT, SOCRATES);
    expect(Buffer.from(socrates.bytes).equals(Buffer.from(nova.bytes))).toBe(false);
    // Captain Nova speaks faster (175 against 150 words a minute).
    expect(nova.durationMs).toBeLessThan(socrates.durationMs);
    // Deterministic: the same voice and text give the same audio.
    expect(Buffer.from(again.bytes).equals(Buffer.from(socrates.bytes))).toBe(true);
  });

  it("reads the text as text: a leading dash is not taken for an option", async () => {
    const audio = await synthesizer.synthesize("--version -w /etc/passwd", SOCRATES);
    expect(audio.durationMs).toBeGreaterThan(500);
  });

  it("a synthesis that takes too long is stopped with speech_failed, and the next one works", async () => {
    const error = await expectAppError(
      synthesizer.synthesize(TEXT.repeat(5), SOCRATES, { timeoutMs: 1 }),
      "speech_failed",
    );
    expect(error.message).toMatch(/took longer than 1 ms/);
    const next = await synthesizer.synthesize("Still here.", SOCRATES);
    expect(next.durationMs).toBeGreaterThan(300);
  });

  it("through the speech port: speaks with the persona's voice, and does not transcribe", async () => {
    const port = createSpeechPort({
      elevenlabs: null,
      maxSpeechChars: 1000,
      synthesisTimeoutMs: 30_000,
    });
    expect(port.kind).toBe("builtin");
    expect(port.canTranscribe).toBe(false);
    const withVoice = await port.synthesize("Set a course.", {
      elevenlabsVoiceId: null,
      builtin: CAPTAIN_NOVA,
    });
    const withDefault = await port.synthesize("Set a course.", {
      elevenlabsVoiceId: null,
      builtin: null,
    });
    expect(Buffer.from(withVoice.bytes).equals(Buffer.from(withDefault.bytes))).toBe(false);
    await expectAppError(port.transcribe(withVoice.bytes, "audio/mpeg"), "speech_unavailable");
  });
});
