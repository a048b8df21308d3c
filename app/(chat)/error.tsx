"use client";
// Unexpected failures inside the chat area: shown below the site header, which stays usable.

import { ErrorContent } from "@/components/error-content";

export default function ChatError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="flex flex-1 items-center justify-center px-4 py-16">
      <ErrorContent error={error} retry={retry} />
    </div>
  );
}
