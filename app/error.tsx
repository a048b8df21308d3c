"use client";
// The friendly error page for unexpected failures below the root layout.

import { ErrorContent } from "@/components/error-content";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center px-4 py-16">
      <ErrorContent error={error} retry={retry} />
    </main>
  );
}
