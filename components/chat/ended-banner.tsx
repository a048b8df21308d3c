// Shown instead of the composer once a conversation has ended: it is read-only now.

import { StartChatForm } from "@/components/gallery/start-chat-form";

export function EndedBanner({
  personaId,
  personaName,
}: {
  personaId: string | null;
  personaName: string;
}) {
  return (
    <section
      data-testid="ended-banner"
      aria-labelledby="ended-banner-title"
      className="flex flex-col gap-3 rounded-2xl border border-zinc-200 bg-zinc-50 p-4 sm:flex-row sm:items-center sm:justify-between sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div>
        <h2 id="ended-banner-title" tabIndex={-1} className="font-semibold text-base outline-none">
          This conversation has ended
        </h2>
        <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
          You can still read it, but it takes no new messages.
        </p>
      </div>
      {personaId ? (
        <StartChatForm
          personaId={personaId}
          personaName={personaName}
          label={`Start a new conversation with ${personaName}`}
          testId="new-conversation"
          arrow={false}
          className="sm:w-auto sm:shrink-0"
        />
      ) : null}
    </section>
  );
}
