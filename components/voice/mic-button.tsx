"use client";
// The microphone button beside Send: click to record a voice message (the recording panel then
// takes the composer's place). Only rendered when the deployment can transcribe speech.

import type { Recorder } from "@/hooks/use-recorder";

export function MicButton({
  recorder,
  disabled,
  personaName,
}: {
  recorder: Recorder;
  disabled: boolean;
  personaName: string;
}) {
  const requesting = recorder.status === "requesting";
  return (
    <button
      type="button"
      onClick={() => void recorder.start()}
      disabled={disabled || requesting}
      aria-label={
        requesting
          ? "Waiting for permission to use the microphone"
          : `Record a voice message for ${personaName}`
      }
      data-testid="mic-button"
      data-state={recorder.status}
      className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl text-zinc-600 outline-none transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-brand-500 disabled:cursor-not-allowed disabled:text-zinc-400 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white dark:disabled:text-zinc-600"
    >
      {requesting ? (
        <span
          aria-hidden="true"
          className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
      ) : (
        <MicIcon className="size-5" />
      )}
    </button>
  );
}

export function MicIcon({ className }: { className: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className={className}>
      <path d="M10 2a3 3 0 0 0-3 3v5a3 3 0 1 0 6 0V5a3 3 0 0 0-3-3Z" />
      <path d="M4.75 9.25a.75.75 0 0 1 .75.75 4.5 4.5 0 0 0 9 0 .75.75 0 0 1 1.5 0 6 6 0 0 1-5.25 5.95v1.3h2a.75.75 0 0 1 0 1.5h-5.5a.75.75 0 0 1 0-1.5h2v-1.3A6 6 0 0 1 4 10a.75.75 0 0 1 .75-.75Z" />
    </svg>
  );
}
