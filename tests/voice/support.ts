// Real audio for the voice tests: a WAV written here byte by byte (RIFF, PCM 16-bit mono), and
// MP3 and Ogg Vorbis made from it by the real encoders (LAME and libvorbis in WebAssembly). The
// WebM fixture (fixtures/chromium-recording-2s.webm) was recorded by Chromium's MediaRecorder
// (audio/webm;codecs=opus, 2 s of a 440 Hz tone), as the browser sends voice messages.

import { readFileSync } from "node:fs";
import path from "node:path";
import { createMp3Encoder, createOggEncoder } from "wasm-media-encoders";

const RATE = 16_000;

function tone(seconds: number, hz: number): Float32Array {
  const pcm = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / RATE);
  return pcm;
}

/** `seconds` of a tone as a 16 kHz, 16-bit mono WAV. */
export function sampleWav(seconds: number, hz = 440): Uint8Array {
  const pcm = tone(seconds, hz);
  const out = Buffer.alloc(44 + pcm.length * 2);
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(36 + pcm.length * 2, 4);
  out.write("WAVEfmt ", 8, "ascii");
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(RATE, 24);
  out.writeUInt32LE(RATE * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write("data", 36, "ascii");
  out.writeUInt32LE(pcm.length * 2, 40);
  pcm.forEach((s, i) => {
    out.writeInt16LE(Math.round(s * 32767), 44 + i * 2);
  });
  return new Uint8Array(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export async function sampleMp3(seconds: number): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ channels: 1, sampleRate: RATE, bitrate: 32 });
  return concat([encoder.encode([tone(seconds, 330)]).slice(), encoder.finalize().slice()]);
}

export async function sampleOgg(seconds: number): Promise<Uint8Array> {
  const encoder = await createOggEncoder();
  encoder.configure({ channels: 1, sampleRate: RATE, vbrQuality: 2 });
  return concat([encoder.encode([tone(seconds, 550)]).slice(), encoder.finalize().slice()]);
}

export function chromiumWebm(): Uint8Array {
  return new Uint8Array(
    readFileSync(path.join(import.meta.dirname, "fixtures", "chromium-recording-2s.webm")),
  );
}
