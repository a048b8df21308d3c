// Records a voice message with MediaRecorder: asks for the microphone, then reports the elapsed
// time and the input level (an AnalyserNode on the same stream) until the visitor stops (the
// recording is handed over) or cancels (it is thrown away). Stops by itself at the server's
// 60-second limit. Every failure becomes one sentence the visitor can act on.

import { useCallback, useEffect, useRef, useState } from "react";

export type RecorderStatus = "idle" | "requesting" | "recording";

export type Recording = { blob: Blob; durationMs: number };

export type RecorderOptions = {
  /** The finished recording, when the visitor stops (or the time limit is reached). */
  onRecorded: (recording: Recording) => void;
  /** The server takes at most 60 s; stop a little before, as a recorder can run a frame over. */
  maxMs?: number;
};

export type Recorder = {
  status: RecorderStatus;
  elapsedMs: number;
  /** The input level, 0 (silence) to 1 (loud), for a meter. */
  level: number;
  /** Why the last attempt failed (permission refused, no microphone, ...), until the next one. */
  error: string | null;
  maxMs: number;
  start: () => Promise<void>;
  /** Stops and hands the recording over. */
  stop: () => void;
  /** Stops and throws the recording away. */
  cancel: () => void;
  dismissError: () => void;
};

/** Formats the server accepts, in order of preference (Chromium and Firefox: webm/Opus). */
const MIME_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/ogg"];

/** Shorter than this is a slip of the finger, not a message. */
const MIN_MS = 400;
const TICK_MS = 100;

export const RECORDER_ERRORS = {
  unsupported: "This browser cannot record voice messages. Type your message instead.",
  format:
    "This browser records audio in a format the app cannot take. Type your message instead, or try another browser.",
  denied:
    "Microphone access was refused. Allow the microphone for this site in your browser's settings, then try again.",
  noMicrophone: "No microphone was found. Connect one and try again.",
  busy: "The microphone is in use by another app. Close it and try again.",
  failed: "Recording could not start. Try again.",
  tooShort:
    "That recording was too short. Click the microphone, speak, then click it again to send.",
} as const;

function errorFor(reason: unknown): string {
  const name = reason instanceof DOMException || reason instanceof Error ? reason.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return RECORDER_ERRORS.denied;
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return RECORDER_ERRORS.noMicrophone;
  }
  if (name === "NotReadableError" || name === "AbortError") return RECORDER_ERRORS.busy;
  return RECORDER_ERRORS.failed;
}

/** Root mean square of the waveform, as a 0-1 level on a -60..0 dB scale (how loudness feels). */
function levelOf(analyser: AnalyserNode, buffer: Float32Array<ArrayBuffer>): number {
  analyser.getFloatTimeDomainData(buffer);
  let sum = 0;
  for (const sample of buffer) sum += sample * sample;
  const rms = Math.sqrt(sum / buffer.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

type Session = {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext | null;
  timer: ReturnType<typeof setInterval> | undefined;
  startedAt: number;
  chunks: Blob[];
  /** Set by cancel(): the recording is thrown away when it stops. */
  discard: boolean;
};

export function useRecorder({ onRecorded, maxMs = 59_500 }: RecorderOptions): Recorder {
  const [status, setStatus] = useState<RecorderStatus>("idle");
  const [elapsedMs, setElapsedMs] = useState(0);
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const session = useRef<Session | null>(null);
  // Esc while the browser still asks for permission: the stream that arrives later is dropped.
  const attempt = useRef(0);
  const onRecordedRef = useRef(onRecorded);
  useEffect(() => {
    onRecordedRef.current = onRecorded;
  });

  const release = useCallback((s: Session) => {
    clearInterval(s.timer);
    for (const track of s.stream.getTracks()) track.stop();
    void s.context?.close().catch(() => {});
    if (session.current === s) session.current = null;
    setStatus("idle");
    setLevel(0);
  }, []);

  const stop = useCallback(() => {
    const s = session.current;
    if (!s) return;
    if (s.recorder.state !== "inactive") s.recorder.stop();
    else release(s);
  }, [release]);

  const cancel = useCallback(() => {
    attempt.current += 1;
    const s = session.current;
    if (!s) {
      setStatus("idle");
      return;
    }
    s.discard = true;
    stop();
  }, [stop]);

  const start = useCallback(async () => {
    if (session.current) return;
    setError(null);
    if (
      typeof window === "undefined" ||
      !navigator.mediaDevices?.getUserMedia ||
      typeof MediaRecorder === "undefined"
    ) {
      setError(RECORDER_ERRORS.unsupported);
      return;
    }
    const mimeType = MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    if (!mimeType) {
      setError(RECORDER_ERRORS.format);
      return;
    }
    const mine = ++attempt.current;
    setStatus("requesting");
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 },
      });
    } catch (reason) {
      if (attempt.current === mine) {
        setStatus("idle");
        setError(errorFor(reason));
      }
      return;
    }
    if (attempt.current !== mine) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }

    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: 32_000 });
    } catch (reason) {
      for (const track of stream.getTracks()) track.stop();
      setStatus("idle");
      setError(errorFor(reason));
      return;
    }

    // The level meter is a nicety: without Web Audio the recording still works.
    let context: AudioContext | null = null;
    let analyser: AnalyserNode | null = null;
    try {
      context = new AudioContext();
      analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
    } catch {
      context = null;
      analyser = null;
    }
    const buffer = new Float32Array(analyser?.fftSize ?? 0);

    const s: Session = {
      stream,
      recorder,
      context,
      timer: undefined,
      startedAt: performance.now(),
      chunks: [],
      discard: false,
    };
    session.current = s;

    recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size > 0) s.chunks.push(event.data);
    });
    recorder.addEventListener("stop", () => {
      const durationMs = performance.now() - s.startedAt;
      release(s);
      if (s.discard) return;
      if (durationMs < MIN_MS) {
        setError(RECORDER_ERRORS.tooShort);
        return;
      }
      const blob = new Blob(s.chunks, { type: recorder.mimeType || mimeType });
      if (blob.size === 0) {
        setError(RECORDER_ERRORS.failed);
        return;
      }
      onRecordedRef.current({ blob, durationMs });
    });
    recorder.addEventListener("error", () => {
      s.discard = true;
      release(s);
      setError(RECORDER_ERRORS.failed);
    });

    // Chunks every second, so a recorder that fails late still has most of the audio.
    recorder.start(1_000);
    setElapsedMs(0);
    setStatus("recording");
    s.timer = setInterval(() => {
      const elapsed = performance.now() - s.startedAt;
      setElapsedMs(elapsed);
      if (analyser) setLevel(levelOf(analyser, buffer));
      if (elapsed >= maxMs) stop();
    }, TICK_MS);
  }, [maxMs, release, stop]);

  // Leaving the page mid-recording releases the microphone and sends nothing.
  useEffect(
    () => () => {
      attempt.current += 1;
      const s = session.current;
      if (s) {
        s.discard = true;
        if (s.recorder.state !== "inactive") s.recorder.stop();
        clearInterval(s.timer);
        for (const track of s.stream.getTracks()) track.stop();
        void s.context?.close().catch(() => {});
      }
    },
    [],
  );

  const dismissError = useCallback(() => setError(null), []);

  return { status, elapsedMs, level, error, maxMs, start, stop, cancel, dismissError };
}
