"use client";
// The body of the friendly error pages (app/error.tsx and app/(chat)/error.tsx): logs the error,
// offers Try again and Go home.

import Link from "next/link";
import { useEffect } from "react";
import { buttonClass } from "@/components/ui/button-styles";

export function ErrorContent({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div data-testid="error-page" role="alert" className="max-w-md text-center">
      <h1 className="font-bold text-2xl tracking-tight sm:text-3xl">Something went wrong</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        We hit a problem on our side. Please try again; if it keeps happening, come back in a little
        while.
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
  );
}
