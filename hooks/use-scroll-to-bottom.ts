// Keeps the page at the end of the conversation as it grows, unless the visitor has scrolled up
// to read. The page itself scrolls and the sticky footer is last, so "the end" is the document's.

import { useEffect, useRef } from "react";

/** How close to the end still counts as "at the end", in pixels. */
const NEAR_BOTTOM_PX = 160;

/**
 * Scrolls to the end whenever `contentKey` changes (a new message, more reply text, another
 * footer), if the visitor was near the end before the change, or in any case when `force` is
 * true (the visitor has just sent a message).
 */
export function useScrollToBottom(contentKey: string, force: boolean): void {
  const wasNearBottom = useRef(true);

  useEffect(() => {
    const onScroll = () => {
      const doc = document.documentElement;
      wasNearBottom.current =
        window.innerHeight + window.scrollY >= doc.scrollHeight - NEAR_BOTTOM_PX;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  // contentKey is not read inside: its changing is what asks for the scroll.
  useEffect(() => {
    if (wasNearBottom.current || force) {
      window.scrollTo({ top: document.documentElement.scrollHeight });
      wasNearBottom.current = true;
    }
  }, [contentKey, force]);
}
