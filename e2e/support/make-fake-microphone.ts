// Writes e2e/fixtures/fake-microphone.wav, what Chromium's fake microphone plays in the voice
// specs (--use-file-for-fake-audio-capture): a sentence spoken by eSpeak NG (the app's built-in
// voice engine), 16 kHz 16-bit mono PCM, with a little silence around it. Run it again with
// `npx tsx e2e/support/make-fake-microphone.ts` to change the sentence.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SENTENCE = "Hello there, how are you today?";
const OUT = path.join(import.meta.dirname, "..", "fixtures", "fake-microphone.wav");
const PAD_SECONDS = 0.4;

type ESpeakModule = {
  FS: { writeFile(path: string, data: string): void; readFile(path: string): Uint8Array };
};
type ESpeakFactory = (options: Record<string, unknown>) => Promise<ESpeakModule>;

const require = createRequire(import.meta.url);
const espeakPath = require.resolve("espeak-ng");
const { default: ESpeakNg } = (await import(pathToFileURL(espeakPath).href)) as {
  default: ESpeakFactory;
};
const wasm = await WebAssembly.compile(
  readFileSync(path.join(path.dirname(espeakPath), "espeak-ng.wasm")),
);
const espeak = await ESpeakNg({
  arguments: ["-w", "/out.wav", "-v", "en-us", "-s", "150", "-f", "/in.txt"],
  preRun: [(module: ESpeakModule) => module.FS.writeFile("/in.txt", SENTENCE)],
  instantiateWasm(
    imports: WebAssembly.Imports,
    done: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
  ) {
    void WebAssembly.instantiate(wasm, imports).then((instance) => done(instance, wasm));
    return {};
  },
  print() {},
  printErr() {},
});

// eSpeak NG writes 22.05 kHz 16-bit mono; find its samples and resample to 16 kHz (linear).
const wav = espeak.FS.readFile("/out.wav");
const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
let at = 12;
let rate = 0;
let samples: Int16Array | null = null;
while (at + 8 <= wav.byteLength) {
  const id = String.fromCharCode(...wav.subarray(at, at + 4));
  const size = view.getUint32(at + 4, true);
  if (id === "fmt ") rate = view.getUint32(at + 12, true);
  if (id === "data") {
    const count = Math.min(size, wav.byteLength - at - 8) >> 1;
    samples = new Int16Array(count);
    for (let i = 0; i < count; i++) samples[i] = view.getInt16(at + 8 + i * 2, true);
    break;
  }
  at += 8 + size + (size % 2);
}
if (!samples || rate === 0) throw new Error("eSpeak NG wrote no samples");

const OUT_RATE = 16_000;
const pad = Math.round(PAD_SECONDS * OUT_RATE);
const spoken = Math.floor((samples.length * OUT_RATE) / rate);
const pcm = new Int16Array(pad + spoken + pad);
for (let i = 0; i < spoken; i++) {
  const x = (i * rate) / OUT_RATE;
  const j = Math.floor(x);
  const a = samples[j] ?? 0;
  const b = samples[j + 1] ?? a;
  pcm[pad + i] = Math.round(a + (b - a) * (x - j));
}

const header = Buffer.alloc(44);
header.write("RIFF", 0);
header.writeUInt32LE(36 + pcm.byteLength, 4);
header.write("WAVE", 8);
header.write("fmt ", 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(OUT_RATE, 24);
header.writeUInt32LE(OUT_RATE * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write("data", 36);
header.writeUInt32LE(pcm.byteLength, 40);
writeFileSync(OUT, Buffer.concat([header, Buffer.from(pcm.buffer)]));
console.log(`${OUT}: ${(pcm.length / OUT_RATE).toFixed(2)} s, ${44 + pcm.byteLength} bytes`);
