"use client";
// "Regenerate" under the newest reply: asks for a new reply to the same message in its place.
// For guests it uses no message of the allowance, but shares the message's retry budget.

export function RegenerateButton({
  onRegenerate,
  personaName,
}: {
  onRegenerate: () => void;
  personaName: string;
}) {
  return (
    <button
      type="button"
      onClick={onRegenerate}
      aria-label={`Regenerate the reply from ${personaName}`}
      title="A new reply in place of this one"
      data-testid="regenerate-reply"
      className="inline-flex h-7 items-center gap-1 rounded-md px-1.5 font-medium text-xs text-zinc-600 outline-none transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="size-3.5"
      >
        <path d="M16 10a6 6 0 1 1-1.8-4.3" />
        <path d="M16 3.5v3.2h-3.2" />
      </svg>
      <span>Regenerate</span>
    </button>
  );
}
