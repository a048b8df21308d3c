// The header's account area: who is signed in, their history and sign-out (a server action);
// for guests and visitors, links to sign in and sign up.

import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { buttonClass } from "@/components/ui/button-styles";
import { getSignedInUser } from "@/lib/auth/user-session";

export async function UserMenu() {
  const user = await getSignedInUser();

  if (!user) {
    return (
      <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
        <Link href="/login" className={buttonClass("ghost", "sm")}>
          Sign in
        </Link>
        <Link href="/signup" className={buttonClass("primary", "sm")}>
          Sign up
        </Link>
      </nav>
    );
  }

  const label = user.email ?? "your account";
  return (
    <nav aria-label="Account" className="flex min-w-0 items-center gap-1 sm:gap-2">
      <span className="flex min-w-0 items-center gap-2" data-testid="signed-in-user">
        <span
          aria-hidden="true"
          className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-800 text-xs uppercase dark:bg-brand-900 dark:text-brand-100"
        >
          {label.slice(0, 1)}
        </span>
        <span className="sr-only">Signed in as </span>
        <span className="hidden max-w-48 truncate text-sm text-zinc-700 sm:inline dark:text-zinc-300">
          {label}
        </span>
        <span className="sr-only sm:hidden">{label}</span>
      </span>
      <Link href="/history" className={buttonClass("ghost", "sm")}>
        History
      </Link>
      <form action={signOutAction}>
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Sign out
        </button>
      </form>
    </nav>
  );
}
