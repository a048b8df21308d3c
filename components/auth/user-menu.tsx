// The header's account area: who is signed in (a link to their account page), their history and
// sign-out (a server action); for guests and visitors, links to sign in and sign up, and the
// notice a just-deleted account lands with.

import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { AccountDeletedNotice } from "@/components/account/account-deleted-notice";
import { buttonClass } from "@/components/ui/button-styles";
import { getSignedInUser } from "@/lib/auth/user-session";

export async function UserMenu() {
  const user = await getSignedInUser();

  if (!user) {
    return (
      <>
        <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
          <Link href="/login" className={buttonClass("ghost", "sm")}>
            Sign in
          </Link>
          <Link href="/signup" className={buttonClass("primary", "sm")}>
            Sign up
          </Link>
        </nav>
        <AccountDeletedNotice />
      </>
    );
  }

  const label = user.email ?? "your account";
  return (
    <nav aria-label="Account" className="flex min-w-0 items-center gap-1 sm:gap-2">
      {/* Who is signed in, as the link to their account page (the avatar alone on phones, with
          a touch area a little larger than it, and no wider header for it). */}
      <Link
        href="/account"
        data-testid="signed-in-user"
        title="Your account"
        className="relative flex min-w-0 items-center gap-2 rounded-full outline-none before:absolute before:-inset-2 before:content-[''] hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-brand-500 sm:rounded-lg sm:p-1 sm:pr-2 sm:before:hidden dark:hover:bg-zinc-800"
      >
        <span
          aria-hidden="true"
          className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-800 text-xs uppercase dark:bg-brand-900 dark:text-brand-100"
        >
          {label.slice(0, 1)}
        </span>
        <span className="sr-only">Account, signed in as </span>
        <span className="hidden max-w-48 truncate text-sm text-zinc-700 sm:inline dark:text-zinc-300">
          {label}
        </span>
        <span className="sr-only sm:hidden">{label}</span>
      </Link>
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
