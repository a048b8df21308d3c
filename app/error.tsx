"use client";
// The friendly error page for unexpected failures below the root layout.

import Link from "next/link";
import { useEffect } from "react";
import { buttonClass } from "@/components/ui/button-styles";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center px-4 py-16">
      <div data-testid="error-page" role="alert" className="max-w-md text-center">
        <h1 className="font-bold text-2xl tracking-tight sm:text-3xl">Something went wrong</h1>
        <p className="mt-3 text-zinc-600 dark:text-zinc-400">
          We hit a problem on our side. Please try again; if it keeps happening, come back in a
          little while.
        </p>
        {digest ? (
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-500">Reference: {digest}</p>
        ) : null}
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <button type="button" onClick={() => retry()} className={buttonClass("primary", "md")}>
            Try again
          </button>
          <Link href="/" className={buttonClass("secondary", "md")}>
            Go home
          </Link>
        </div>
      </div>
    </main>
  );
}
