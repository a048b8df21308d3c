// The app's top bar: the name (home link) and the account area.

import Link from "next/link";
import { UserMenu } from "@/components/auth/user-menu";

export function SiteHeader() {
  return (
    <header className="sticky top-0 z-30 border-zinc-200 border-b bg-white dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-3 px-4 sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2 rounded-md font-semibold tracking-tight outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-zinc-950"
        >
          <span
            aria-hidden="true"
            className="inline-flex size-7 items-center justify-center rounded-lg bg-brand-600 text-sm text-white"
          >
            P
          </span>
          <span>Persona Chat</span>
        </Link>
        <UserMenu />
      </div>
    </header>
  );
}
