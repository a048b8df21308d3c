// Keeps the message list at its end as the conversation grows, unless the visitor has scrolled
// up to read. The list is its own scroll area (the header, the history sidebar and the composer
// stay put), so "the end" is that element's, not the document's.

import { type RefObject, useEffect, useRef } from "react";

/** How close to the end still counts as "at the end", in pixels. */
const NEAR_BOTTOM_PX = 160;

function isNearBottom(el: HTMLElement): boolean {
  return el.scrollTop + el.clientHeight >= el.scrollHeight - NEAR_BOTTOM_PX;
}

/**
 * Returns the ref for the scroll area. Scrolls it to the end whenever `contentKey` changes (a new
 * message, more reply text, another footer) or its size changes (the phone keyboard opens, a code
 * block finishes loading), if the visitor was near the end before, or in any case when `force` is
 * true (the visitor has just sent a message).
 */
export function useScrollToBottom<T extends HTMLElement>(
  contentKey: string,
  force: boolean,
): RefObject<T | null> {
  const ref = useRef<T>(null);
  const wasNearBottom = useRef(true);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => {
      wasNearBottom.current = isNearBottom(el);
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    // Resizes do not fire scroll events: follow them here while the visitor is at the end.
    const observer = new ResizeObserver(() => {
      if (wasNearBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    for (const child of Array.from(el.children)) observer.observe(child);
    return () => {
      el.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: contentKey is not read inside; its changing is what asks for the scroll.
  useEffect(() => {
    const el = ref.current;
    if (el && (wasNearBottom.current || force)) {
      el.scrollTop = el.scrollHeight;
      wasNearBottom.current = true;
    }
  }, [contentKey, force]);

  return ref;
}
