// The 404 message, shared by the root page (unknown URLs) and the chat area (foreign or missing
// conversations), which differ only in whether the site header is already on screen.

import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";

export function NotFoundContent() {
  return (
    <div data-testid="not-found" className="max-w-md text-center">
      <p className="font-semibold text-brand-600 text-sm dark:text-brand-400">404</p>
      <h1 className="mt-2 font-bold text-2xl tracking-tight sm:text-3xl">
        We could not find that page
      </h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        The link may be wrong, or the conversation belongs to another session. Conversations are
        private to the browser (or account) that started them.
      </p>
      <div className="mt-6 flex justify-center">
        <Link href="/" className={buttonClass("primary", "md")}>
          Pick a persona
        </Link>
      </div>
    </div>
  );
}
