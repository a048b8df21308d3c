"use client";
// "Listen" under a message: plays it in the persona's voice (the server speaks a reply on its
// first request, which can take a moment: "Loading"), then "Pause". A failure says why, and the
// button then tries again.

import type { AudioPlayer } from "@/hooks/use-audio-player";

const LABEL = { idle: "Listen", loading: "Loading", playing: "Pause", error: "Retry" } as const;

/** The app path of a message's audio (never a storage URL). */
export function messageAudioPath(conversationId: string, messageId: string): string {
  return `/api/conversations/${conversationId}/messages/${messageId}/audio`;
}

export function PlayAudioButton({
  player,
  messageId,
  src,
  description,
}: {
  /** The conversation's one player, so that one message playing stops another. */
  player: AudioPlayer;
  messageId: string;
  src: string;
  /** Whose message, for the accessible name: "the message from Socrates", "your voice message". */
  description: string;
}) {
  const mine = player.currentId === messageId;
  const state = mine ? player.state : "idle";
  const shown = state === "paused" ? "idle" : state;
  const error = mine && state === "error" ? player.error : null;

  const name = {
    idle: state === "paused" ? `Resume ${description}` : `Listen to ${description}`,
    loading: `Loading ${description}; press to stop`,
    playing: `Pause ${description}`,
    error: `Retry playing ${description}`,
  }[shown];

  return (
    <>
      <button
        type="button"
        onClick={() => player.toggle(messageId, src)}
        aria-label={name}
        data-testid="play-audio"
        data-state={state}
        className="inline-flex h-7 items-center gap-1 rounded-md px-1.5 font-medium text-xs text-zinc-600 outline-none transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-brand-500 data-[state=error]:text-red-700 data-[state=playing]:text-brand-700 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:data-[state=error]:text-red-300 dark:data-[state=playing]:text-brand-300"
      >
        <PlaybackIcon state={shown} />
        <span>{state === "paused" ? "Resume" : LABEL[shown]}</span>
      </button>
      {/* The outcome is announced, since a label changing under focus is not always read out. */}
      <span
        role="status"
        data-testid="play-audio-status"
        className={error ? "text-red-700 text-xs dark:text-red-300" : "sr-only"}
      >
        {error ?? (mine && state === "playing" ? "Playing." : "")}
      </span>
    </>
  );
}

function PlaybackIcon({ state }: { state: "idle" | "loading" | "playing" | "error" }) {
  if (state === "loading") {
    return (
      <span
        aria-hidden="true"
        className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent"
      />
    );
  }
  if (state === "playing") {
    return (
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-3.5">
        <rect x="5" y="4" width="3.5" height="12" rx="1" />
        <rect x="11.5" y="4" width="3.5" height="12" rx="1" />
      </svg>
    );
  }
  if (state === "error") {
    return (
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-3.5">
        <path
          fillRule="evenodd"
          d="M8.5 2.9a1.7 1.7 0 0 1 3 0l6.3 11.4a1.7 1.7 0 0 1-1.5 2.5H3.7a1.7 1.7 0 0 1-1.5-2.5L8.5 2.9ZM10 7a.9.9 0 0 0-.9.9v3.3a.9.9 0 1 0 1.8 0V7.9A.9.9 0 0 0 10 7Zm0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
          clipRule="evenodd"
        />
      </svg>
    );
  }
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" className="size-3.5">
      <path
        d="M3.5 7.5v5h3l4 3.5v-12l-4 3.5h-3Z"
        fill="currentColor"
        stroke="currentColor"
        strokeWidth="1.2"
        strokeLinejoin="round"
      />
      <path
        d="M13.5 7a4 4 0 0 1 0 6M15.5 4.8a7 7 0 0 1 0 10.4"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
      />
    </svg>
  );
}
