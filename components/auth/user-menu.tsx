// The header's account area: who is signed in and sign-out, or links to sign in / sign up.
// Placeholder until the signed-in users work lands (owned by the auth work).

import Link from "next/link";

export async function UserMenu() {
  return (
    <nav aria-label="Account" className="flex items-center gap-2 text-sm">
      <Link href="/login" className="rounded-md px-3 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">
        Sign in
      </Link>
      <Link
        href="/signup"
        className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700 dark:bg-white dark:text-zinc-900"
      >
        Sign up
      </Link>
    </nav>
  );
}
