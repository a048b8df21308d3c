// The built-in offline voice: eSpeak NG compiled to WebAssembly (npm `espeak-ng`, GPL-3.0-or-later)
// speaks the text as 22.05 kHz WAV, and LAME (npm `wasm-media-encoders`) turns it into 32 kbit/s
// mono MP3, about 4 KB per second of speech. Both run in one worker thread, so a reply being
// synthesized never blocks the server's event loop, and one that takes too long is stopped by
// ending the worker (the next reply starts a new one).

import "server-only";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import type { BuiltinVoice, SynthesizedAudio } from "./types";

/** Constant bit rate of the stored MP3: 32 kbit/s is plenty for a 22.05 kHz speech synthesizer. */
export const BUILTIN_MP3_KBPS = 32;

// The worker's code. It is plain JavaScript run with `eval`, so the bundler never has to find a
// worker file; it loads both packages from the paths resolved below. Each job instantiates eSpeak
// afresh (its CLI keeps global state) from the WebAssembly module compiled once.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { pathToFileURL } = require("node:url");

let loaded;
function load() {
  loaded ??= (async () => {
    const { default: ESpeakNg } = await import(pathToFileURL(workerData.espeakPath).href);
    const wasm = await WebAssembly.compile(readFileSync(workerData.espeakWasmPath));
    const { createMp3Encoder } = require(workerData.encoderPath);
    const encoder = await createMp3Encoder();
    return { ESpeakNg, wasm, encoder };
  })();
  return loaded;
}

function samplesOf(wav) {
  const dv = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let at = 12;
  let sampleRate = 0;
  while (at + 8 <= wav.byteLength) {
    const id = String.fromCharCode(wav[at], wav[at + 1], wav[at + 2], wav[at + 3]);
    const size = dv.getUint32(at + 4, true);
    if (id === "fmt ") sampleRate = dv.getUint32(at + 12, true);
    if (id === "data") {
      const length = Math.min(size, wav.byteLength - at - 8) >> 1;
      const pcm = new Float32Array(length);
      for (let i = 0; i < length; i++) pcm[i] = dv.getInt16(at + 8 + i * 2, true) / 32768;
      return { pcm, sampleRate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error("eSpeak NG wrote no samples");
}

async function synthesize(job) {
  const { ESpeakNg, wasm, encoder } = await load();
  const started = performance.now();
  const espeak = await ESpeakNg({
    arguments: [
      "-w", "/out.wav", "-v", job.voice, "-p", String(job.pitch), "-s", String(job.speed),
      "-f", "/in.txt",
    ],
    // The text goes in a file, so that nothing in it can be read as a command-line option.
    preRun: [(module) => module.FS.writeFile("/in.txt", job.text)],
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(wasm, imports).then((instance) => done(instance, wasm));
      return {};
    },
    print() {},
    printErr() {},
  });
  const { pcm, sampleRate } = samplesOf(espeak.FS.readFile("/out.wav"));
  const synthesizedMs = performance.now() - started;
  if (pcm.length === 0) throw new Error("eSpeak NG wrote no samples");

  encoder.configure({ channels: 1, sampleRate, bitrate: job.kbps });
  const parts = [];
  let size = 0;
  for (let at = 0; at < pcm.length; at += sampleRate) {
    const part = encoder.encode([pcm.subarray(at, at + sampleRate)]).slice();
    parts.push(part);
    size += part.length;
  }
  const last = encoder.finalize().slice();
  parts.push(last);
  size += last.length;
  const mp3 = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    mp3.set(part, offset);
    offset += part.length;
  }
  return { mp3, samples: pcm.length, sampleRate, synthesizedMs, encodedMs: performance.now() - started - synthesizedMs };
}

parentPort.on("message", (job) => {
  synthesize(job).then(
    (result) => parentPort.postMessage({ id: job.id, ok: true, ...result }, [result.mp3.buffer]),
    (error) => parentPort.postMessage({ id: job.id, ok: false, message: String(error && error.message || error) }),
  );
});
`;

type WorkerReply =
  | {
      id: number;
      ok: true;
      mp3: Uint8Array;
      samples: number;
      sampleRate: number;
      synthesizedMs: number;
      encodedMs: number;
    }
  | { id: number; ok: false; message: string };

/** What one synthesis measured, for the benchmark. */
export type BuiltinTimings = { synthesizedMs: number; encodedMs: number };

export type BuiltinSynthesizer = {
  synthesize(
    text: string,
    voice: BuiltinVoice,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<SynthesizedAudio & { timings: BuiltinTimings }>;
  /** Ends the worker (it is unref'd, so an idle one never keeps the process alive). */
  close(): Promise<void>;
};

/** Where the two packages are: resolved from the app's own node_modules, not by the bundler. */
function packagePaths() {
  const resolve = createRequire(path.join(process.cwd(), "package.json")).resolve;
  const espeakPath = resolve("espeak-ng");
  return {
    espeakPath,
    espeakWasmPath: path.join(path.dirname(espeakPath), "espeak-ng.wasm"),
    encoderPath: resolve("wasm-media-encoders"),
  };
}

function failed(message: string, cause?: unknown): AppError {
  return new AppError("speech_failed", message, { cause });
}

export function createBuiltinSynthesizer(defaults: { timeoutMs: number }): BuiltinSynthesizer {
  let worker: Worker | null = null;
  let nextId = 1;
  // One synthesis at a time: the worker is one thread, and a timeout must name the job it stops.
  let queue: Promise<unknown> = Promise.resolve();

  function startWorker(): Worker {
    const started = new Worker(WORKER_SOURCE, { eval: true, workerData: packagePaths() });
    started.unref();
    started.on("exit", () => {
      if (worker === started) worker = null;
    });
    return started;
  }

  function run(
    job: { text: string } & BuiltinVoice,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Extract<WorkerReply, { ok: true }>> {
    worker ??= startWorker();
    const current = worker;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const stop = (error: AppError) => {
        cleanup();
        // The only way to stop WebAssembly mid-run is to end its thread.
        if (worker === current) worker = null;
        void current.terminate();
        reject(error);
      };
      const timer = setTimeout(
        () => stop(failed(`The built-in voice took longer than ${timeoutMs} ms.`)),
        timeoutMs,
      );
      const onAbort = () => stop(failed("The synthesis was cancelled."));
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.ok) resolve(reply);
        else
          reject(failed("The built-in voice could not speak this text.", new Error(reply.message)));
      };
      const onError = (error: Error) => {
        cleanup();
        if (worker === current) worker = null;
        reject(failed("The built-in voice stopped unexpectedly.", error));
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        current.off("message", onMessage);
        current.off("error", onError);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      current.on("message", onMessage);
      current.on("error", onError);
      current.postMessage({ id, kbps: BUILTIN_MP3_KBPS, ...job });
    });
  }

  return {
    synthesize(text, voice, options = {}) {
      const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
      const job = queue.then(() =>
        run(
          { text, voice: voice.voice, pitch: voice.pitch, speed: voice.speed },
          timeoutMs,
          options.signal,
        ),
      );
      queue = job.catch(() => {});
      return job.then((reply) => ({
        bytes: reply.mp3,
        contentType: "audio/mpeg" as const,
        durationMs: Math.max(1, Math.round((reply.samples / reply.sampleRate) * 1000)),
        timings: { synthesizedMs: reply.synthesizedMs, encodedMs: reply.encodedMs },
      }));
    },
    async close() {
      const current = worker;
      worker = null;
      await current?.terminate();
    },
  };
}
