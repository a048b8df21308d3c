"use client";
// The top of a long conversation: the page shows its newest messages, and earlier ones load as
// the visitor scrolls up to here (or presses the button, from the keyboard). While a page loads,
// a spinner; if it fails, a sentence and the button again.

import { type RefObject, useEffect, useRef } from "react";
import { buttonClass } from "@/components/ui/button-styles";

/** How far above the top of the list a load starts, so the next page is there when reached. */
const AHEAD_PX = 400;

export function EarlierMessages({
  scrollRoot,
  hasMore,
  loading,
  failed,
  onLoad,
}: {
  /** The scrolling message list. */
  scrollRoot: RefObject<HTMLElement | null>;
  hasMore: boolean;
  loading: boolean;
  failed: boolean;
  onLoad: () => void;
}) {
  const load = useRef(onLoad);
  load.current = onLoad;

  // Near the top, the next page loads (the list opens at its end, so this is the visitor
  // scrolling up). After a page is put above, the list is back where it was, away from the top.
  useEffect(() => {
    const root = scrollRoot.current;
    if (!hasMore || loading || failed || !root) return;
    const onScroll = () => {
      if (root.scrollTop < AHEAD_PX) load.current();
    };
    root.addEventListener("scroll", onScroll, { passive: true });
    return () => root.removeEventListener("scroll", onScroll);
  }, [scrollRoot, hasMore, loading, failed]);

  if (!hasMore) return null;
  return (
    <div
      data-testid="earlier-messages"
      className="mb-4 flex min-h-10 flex-col items-center justify-center gap-2 text-sm"
    >
      {loading ? (
        <span role="status" className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
          <span
            aria-hidden="true"
            className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent"
          />
          Loading earlier messages…
        </span>
      ) : (
        <>
          {failed ? (
            <p role="alert" className="text-red-700 dark:text-red-300">
              Could not load earlier messages.
            </p>
          ) : null}
          <button type="button" onClick={onLoad} className={buttonClass("secondary", "sm")}>
            {failed ? "Try again" : "Load earlier messages"}
          </button>
        </>
      )}
    </div>
  );
}
