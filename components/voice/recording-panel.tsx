"use client";
// Shown in the composer's place while a voice message is being recorded: the elapsed time, the
// microphone level, Cancel and Send. Esc cancels from anywhere on the page; the Send button (in
// the microphone button's place) takes focus, so a second click or Enter sends.

import { useEffect, useRef } from "react";
import type { Recorder } from "@/hooks/use-recorder";

const BARS = 9;

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function RecordingPanel({
  recorder,
  personaName,
}: {
  recorder: Recorder;
  personaName: string;
}) {
  const sendRef = useRef<HTMLButtonElement>(null);
  const { cancel, stop } = recorder;

  useEffect(() => {
    sendRef.current?.focus();
  }, []);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      cancel();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [cancel]);

  const left = Math.max(0, recorder.maxMs - recorder.elapsedMs);
  const nearLimit = left < 10_000;
  const percent = Math.round(recorder.level * 100);

  return (
    <section
      aria-label={`Recording a voice message for ${personaName}`}
      data-testid="recording-panel"
      className="flex items-center gap-2 rounded-2xl border border-red-300 bg-red-50/60 p-1.5 pl-3 shadow-sm dark:border-red-900 dark:bg-red-950/30"
    >
      <span aria-hidden="true" className="relative flex size-2.5 shrink-0">
        <span className="absolute inline-flex size-full animate-ping rounded-full bg-red-500 opacity-60 motion-reduce:animate-none" />
        <span className="relative inline-flex size-2.5 rounded-full bg-red-600" />
      </span>
      <p className="sr-only" role="status">
        Recording. Press Escape to cancel, or the send button to send.
      </p>
      <span
        data-testid="recording-elapsed"
        className="w-10 shrink-0 font-medium text-sm text-zinc-900 tabular-nums dark:text-zinc-100"
      >
        <span className="sr-only">Elapsed: </span>
        {formatElapsed(recorder.elapsedMs)}
      </span>
      <meter
        min={0}
        max={100}
        value={percent}
        aria-label="Microphone level"
        data-testid="recording-level"
        className="sr-only"
      />
      {/* The meter as bars, for the eye; the <meter> above is what assistive technology reads. */}
      <div aria-hidden="true" className="flex h-6 min-w-0 flex-1 items-center gap-1">
        {Array.from({ length: BARS }, (_, i) => {
          // Louder lights more bars from the left, and the lit ones grow with the level.
          const lit = recorder.level * BARS > i;
          // Taller towards the middle, so a loud voice reads as a wave rather than a block.
          const shape = 1 - Math.abs(i - (BARS - 1) / 2) / BARS;
          const height = lit ? 30 + Math.round(recorder.level * 70 * shape) : 20;
          return (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed bars, never reordered.
              key={i}
              className={`w-1 rounded-full transition-[height] duration-100 ${
                lit ? "bg-red-600 dark:bg-red-400" : "bg-zinc-300 dark:bg-zinc-700"
              }`}
              style={{ height: `${height}%` }}
            />
          );
        })}
        <span
          className={`ml-2 hidden truncate text-xs sm:inline ${
            nearLimit
              ? "font-medium text-red-700 dark:text-red-300"
              : "text-zinc-600 dark:text-zinc-400"
          }`}
        >
          {nearLimit ? `${Math.ceil(left / 1000)} s left` : "Esc to cancel"}
        </span>
      </div>
      <button
        type="button"
        onClick={cancel}
        data-testid="recording-cancel"
        aria-label="Cancel the recording"
        className="inline-flex h-10 shrink-0 items-center justify-center rounded-xl px-3 font-medium text-sm text-zinc-700 outline-none transition-colors hover:bg-zinc-200/70 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        Cancel
      </button>
      <button
        ref={sendRef}
        type="button"
        onClick={stop}
        data-testid="recording-send"
        aria-label="Stop recording and send"
        className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl bg-red-600 text-white outline-none transition-colors hover:bg-red-700 focus-visible:ring-2 focus-visible:ring-red-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-zinc-900"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
          <path d="M3.1 2.3a.75.75 0 0 1 .8-.1l13.5 7.1a.75.75 0 0 1 0 1.4L3.9 17.8a.75.75 0 0 1-1-.9L4.8 10 2.9 3.1a.75.75 0 0 1 .2-.8ZM6.2 10.75l-1.3 4.6L14.6 10 4.9 4.65l1.3 4.6h4.55a.75.75 0 0 1 0 1.5H6.2Z" />
        </svg>
      </button>
    </section>
  );
}
