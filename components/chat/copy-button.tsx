"use client";
// "Copy" under a message: copies its text (a reply's Markdown source), then reads "Copied" for a
// moment. Screen readers hear the outcome from a status region, since the label alone changing
// under focus is not always announced.

import { useCopyToClipboard } from "@/hooks/use-copy-to-clipboard";

const LABEL = { idle: "Copy", copied: "Copied", failed: "Copy failed" } as const;
const ANNOUNCEMENT = {
  idle: "",
  copied: "Copied to the clipboard.",
  failed: "Could not copy: select the text and copy it instead.",
} as const;

export function CopyButton({ text, label = "Copy message" }: { text: string; label?: string }) {
  const { state, copy } = useCopyToClipboard();
  return (
    <>
      <button
        type="button"
        onClick={() => void copy(text)}
        // The accessible name starts with the visible word, as WCAG's "label in name" asks.
        aria-label={state === "idle" ? label : LABEL[state]}
        data-testid="copy-message"
        data-state={state}
        className="inline-flex h-7 items-center gap-1 rounded-md px-1.5 font-medium text-xs text-zinc-600 outline-none transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-brand-500 data-[state=copied]:text-emerald-700 data-[state=failed]:text-red-700 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:data-[state=copied]:text-emerald-300 dark:data-[state=failed]:text-red-300"
      >
        {state === "copied" ? (
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-3.5">
            <path
              fillRule="evenodd"
              d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z"
              clipRule="evenodd"
            />
          </svg>
        ) : (
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            className="size-3.5"
          >
            <rect x="6.5" y="6.5" width="10" height="10" rx="2" />
            <path d="M13.5 6.5V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v6.5a2 2 0 0 0 2 2h1.5" />
          </svg>
        )}
        <span>{LABEL[state]}</span>
      </button>
      <span role="status" className="sr-only">
        {ANNOUNCEMENT[state]}
      </span>
    </>
  );
}
