// "Socrates is replying…" with three bouncing dots, shown while a reply streams.

export function TypingIndicator({ personaName, label }: { personaName: string; label?: string }) {
  return (
    <span
      data-testid="typing-indicator"
      className="inline-flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400"
    >
      <span aria-hidden="true" className="inline-flex items-center gap-1">
        <span className="typing-dot size-1.5 rounded-full bg-current" />
        <span className="typing-dot size-1.5 rounded-full bg-current [animation-delay:150ms]" />
        <span className="typing-dot size-1.5 rounded-full bg-current [animation-delay:300ms]" />
      </span>
      {label ?? `${personaName} is replying…`}
    </span>
  );
}
