// How many guest messages are left, as text and a bar; nothing for signed-in users (no cap).

import type { Allowance } from "@/lib/chat/types";

export function AllowanceMeter({ allowance }: { allowance: Allowance }) {
  if (!allowance) return null;
  const { limit, remaining } = allowance;
  const fraction = limit > 0 ? Math.max(0, Math.min(1, remaining / limit)) : 0;
  const low = remaining <= Math.max(1, Math.ceil(limit * 0.3));
  return (
    <div
      data-testid="allowance-meter"
      data-remaining={remaining}
      className="flex items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400"
    >
      <span
        aria-hidden="true"
        className="h-1.5 w-20 shrink-0 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <span
          className={`block h-full rounded-full transition-[width] duration-500 ${
            low ? "bg-amber-500" : "bg-brand-500"
          }`}
          style={{ width: `${fraction * 100}%` }}
        />
      </span>
      <span data-testid="allowance-text">
        {remaining} of {limit} guest {limit === 1 ? "message" : "messages"} left
      </span>
    </div>
  );
}
