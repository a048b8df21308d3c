// One audio player for the whole conversation: which message it holds and whether that message
// is loading, playing, paused or failed. One element for all messages, so starting one message
// stops the other, and "Voice replies" and the play buttons never talk over each other.

import { useCallback, useEffect, useRef, useState } from "react";
import { parseChatError } from "@/components/chat/chat-errors";

export type PlaybackState = "idle" | "loading" | "playing" | "paused" | "error";

export type AudioPlayer = {
  /** The message the player holds, or null. */
  currentId: string | null;
  state: PlaybackState;
  /** Why the current message could not be played (state "error"). */
  error: string | null;
  /** Plays `id` from `src`, or pauses/resumes it when it is the current one. */
  toggle: (id: string, src: string) => void;
  /** Plays `id` from the start (a reply that just finished, with "Voice replies" on). */
  play: (id: string, src: string) => void;
  stop: () => void;
};

const FALLBACK_ERROR = "The audio could not be played. Try again.";

/**
 * Why `src` failed: the server's own sentence when it answers with our JSON error (e.g. the voice
 * service is busy), else a general one. The media element itself only says that it failed.
 */
async function failureReason(src: string): Promise<string> {
  try {
    const response = await fetch(src, { headers: { range: "bytes=0-0" } });
    if (response.ok) return FALLBACK_ERROR;
    const body = await response.text();
    const parsed = parseChatError(Object.assign(new Error(body), { statusCode: response.status }));
    return parsed.code === "unknown" ? FALLBACK_ERROR : parsed.message;
  } catch {
    return FALLBACK_ERROR;
  }
}

export type AudioPlayerWithElement = AudioPlayer & {
  /** Attach to the one <audio> element (components/voice/voice-audio.tsx does). */
  ref: React.RefObject<HTMLAudioElement | null>;
};

export function useAudioPlayer(): AudioPlayerWithElement {
  const ref = useRef<HTMLAudioElement | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [state, setState] = useState<PlaybackState>("idle");
  const [error, setError] = useState<string | null>(null);
  // The element's events arrive after a switch to another message; this says whose they are.
  const current = useRef<{ id: string; src: string } | null>(null);

  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    const on = (type: string, listener: () => void) => {
      audio.addEventListener(type, listener);
      return () => audio.removeEventListener(type, listener);
    };
    const offs = [
      on("playing", () => setState("playing")),
      // Buffering mid-way (a slow first synthesis, a seek) reads as loading again.
      on("waiting", () => setState((s) => (s === "playing" ? "loading" : s))),
      // A pause while loading is the element switching sources, not the visitor: ignored.
      on("pause", () => {
        if (!current.current) return;
        setState((s) => (s === "playing" ? "paused" : s));
      }),
      on("ended", () => setState("idle")),
      on("error", () => {
        const failed = current.current;
        if (!failed || !audio.getAttribute("src")) return;
        setState("error");
        setError(null);
        void failureReason(failed.src).then((reason) => {
          if (current.current === failed) setError(reason);
        });
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, []);

  const play = useCallback((id: string, src: string) => {
    const audio = ref.current;
    if (!audio) return;
    current.current = { id, src };
    setCurrentId(id);
    setError(null);
    setState("loading");
    if (audio.getAttribute("src") !== src) {
      audio.src = src;
    } else if (audio.error) {
      // A failed source is fetched again only when loaded afresh (a retry after "busy").
      audio.load();
    } else {
      audio.currentTime = 0;
    }
    audio.play().catch((reason: unknown) => {
      if (current.current?.id !== id) return;
      // AbortError: a newer play() or pause() replaced this one; that call sets the state.
      if (reason instanceof DOMException && reason.name === "AbortError") return;
      setState("error");
      setError(
        reason instanceof DOMException && reason.name === "NotAllowedError"
          ? "The browser blocked playback. Press play to listen."
          : FALLBACK_ERROR,
      );
    });
  }, []);

  const toggle = useCallback(
    (id: string, src: string) => {
      const audio = ref.current;
      if (!audio) return;
      if (current.current?.id !== id || state === "error" || state === "idle") {
        play(id, src);
        return;
      }
      if (audio.paused) {
        setState("loading");
        void audio.play().catch(() => setState("paused"));
      } else {
        audio.pause();
        setState("paused");
      }
    },
    [play, state],
  );

  const stop = useCallback(() => {
    ref.current?.pause();
    current.current = null;
    setCurrentId(null);
    setState("idle");
    setError(null);
  }, []);

  return { ref, currentId, state, error, toggle, play, stop };
}
