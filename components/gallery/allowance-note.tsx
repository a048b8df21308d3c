// Tells a guest what they get without an account (or what is left of it); nothing for users.

import Link from "next/link";
import type { Allowance } from "@/lib/chat/types";

export function AllowanceNote({
  allowance,
  limit,
}: {
  /** The guest's current allowance, or null for a visitor with no session yet. */
  allowance: Allowance;
  limit: number;
}) {
  const text =
    allowance === null
      ? `${limit} free messages, no account needed.`
      : allowance.remaining === 0
        ? `You have used all ${allowance.limit} free guest messages.`
        : allowance.used === 0
          ? `${allowance.limit} free messages, no account needed.`
          : `${allowance.remaining} of ${allowance.limit} free guest messages left. No account needed.`;
  return (
    <p
      data-testid="guest-allowance-note"
      className="rounded-2xl bg-brand-50 px-3 py-1 font-medium text-brand-800 text-sm ring-1 ring-brand-200 dark:bg-brand-950 dark:text-brand-200 dark:ring-brand-800"
    >
      <span aria-hidden="true">✦ </span>
      {text}{" "}
      {allowance !== null && allowance.remaining === 0 ? (
        <Link
          href="/signup"
          className="rounded font-semibold underline underline-offset-2 outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
        >
          Sign up to keep chatting
        </Link>
      ) : null}
    </p>
  );
}
