"use client";
// The "Voice replies" switch: when on, each new reply is spoken as soon as it has finished. The
// choice is remembered on this browser (hooks/use-voice-replies.ts).

import { useId } from "react";

export function VoiceRepliesSwitch({
  checked,
  onChange,
  personaName,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  personaName: string;
}) {
  const hintId = useId();
  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-describedby={hintId}
        onClick={() => onChange(!checked)}
        data-testid="voice-replies-switch"
        className="group inline-flex h-8 items-center gap-2 rounded-lg px-1.5 font-medium text-sm text-zinc-700 outline-none transition-colors hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <span
          aria-hidden="true"
          className="relative inline-flex h-5 w-9 shrink-0 items-center rounded-full bg-zinc-300 transition-colors group-aria-checked:bg-brand-600 dark:bg-zinc-700 dark:group-aria-checked:bg-brand-500"
        >
          <span className="absolute left-0.5 size-4 rounded-full bg-white shadow-sm transition-transform group-aria-checked:translate-x-4" />
        </span>
        Voice replies
      </button>
      <span id={hintId} className="sr-only">
        Speaks each new reply from {personaName} aloud when it has finished.
      </span>
    </div>
  );
}
