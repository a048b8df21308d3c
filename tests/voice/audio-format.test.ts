// Recognising recordings by their bytes and measuring them: WAV, MP3 and Ogg from the real
// encoders, WebM as Chromium's MediaRecorder writes it (no Duration element), and what is not audio.

import { describe, expect, it } from "vitest";
import { probeAudio } from "@/lib/voice/audio-format";
import { chromiumWebm, sampleMp3, sampleOgg, sampleWav } from "./support";

describe("probeAudio", () => {
  it("measures a WAV from its fmt and data chunks", () => {
    expect(probeAudio(sampleWav(1.5))).toEqual({
      container: "wav",
      contentType: "audio/wav",
      durationMs: 1500,
    });
  });

  it("measures an MP3 by its frames, after an ID3v2 tag too", async () => {
    const mp3 = await sampleMp3(3);
    const info = probeAudio(mp3);
    expect(info?.container).toBe("mp3");
    expect(info?.contentType).toBe("audio/mpeg");
    // LAME adds its encoder delay and pads the last frame: at most 3 frames of 576 samples at
    // 16 kHz (108 ms).
    expect(info?.durationMs).toBeGreaterThanOrEqual(3000);
    expect(info?.durationMs).toBeLessThanOrEqual(3108);

    const id3 = Buffer.alloc(10 + 20);
    id3.write("ID3", 0, "ascii");
    id3[3] = 4;
    id3[9] = 20; // syncsafe size
    expect(probeAudio(new Uint8Array(Buffer.concat([id3, mp3])))?.durationMs).toBe(
      info?.durationMs,
    );
  });

  it("measures Ogg Vorbis by its last granule position", async () => {
    const info = probeAudio(await sampleOgg(2.5));
    expect(info?.container).toBe("ogg");
    expect(info?.durationMs).toBeGreaterThanOrEqual(2450);
    expect(info?.durationMs).toBeLessThanOrEqual(2550);
  });

  it("measures Chromium's WebM recording (unknown sizes, no Duration) by its last block", () => {
    const info = probeAudio(chromiumWebm());
    expect(info?.container).toBe("webm");
    expect(info?.contentType).toBe("audio/webm");
    expect(info?.durationMs).toBeGreaterThan(1800);
    expect(info?.durationMs).toBeLessThanOrEqual(2100);
  });

  it("a cut-off recording is measured up to where it stops", () => {
    const webm = chromiumWebm();
    const half = probeAudio(webm.subarray(0, Math.floor(webm.byteLength / 2)));
    expect(half?.durationMs).toBeGreaterThan(500);
    expect(half?.durationMs).toBeLessThan(1500);
  });

  it("is null for what is not audio, or audio with no samples", () => {
    const text = new TextEncoder().encode("This is a text file that claims to be audio/webm.");
    expect(probeAudio(text)).toBeNull();
    expect(probeAudio(new Uint8Array())).toBeNull();
    expect(probeAudio(new Uint8Array(4096))).toBeNull();
    // A PNG's first bytes.
    expect(
      probeAudio(new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72])),
    ).toBeNull();
    // A WAV header with no samples.
    expect(probeAudio(sampleWav(0))).toBeNull();
    // A lone byte pair that looks like an MPEG sync word inside noise.
    const noise = new Uint8Array(2048).map((_, i) => (i * 37) % 251);
    noise[0] = 0xff;
    noise[1] = 0xfb;
    expect(probeAudio(noise)).toBeNull();
  });
});
