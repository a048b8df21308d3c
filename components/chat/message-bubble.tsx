// One chat bubble: the persona's on the left with its avatar, the visitor's on the right.

import { PersonaAvatar } from "@/components/persona-avatar";

export function MessageBubble({
  author,
  text,
  personaName,
  avatarUrl,
  streaming = false,
  testId = "message",
}: {
  /** Who wrote it (not `role`, which JSX tooling reads as an ARIA role). */
  author: "user" | "assistant";
  text: string;
  personaName: string;
  avatarUrl: string | null;
  /** The reply is still arriving: show a caret after the text. */
  streaming?: boolean;
  testId?: string;
}) {
  if (author === "user") {
    return (
      <li data-testid={testId} data-role="user" className="flex justify-end pl-10 sm:pl-16">
        <div className="min-w-0 max-w-full">
          <p className="sr-only">You said:</p>
          <div className="whitespace-pre-wrap break-words rounded-2xl rounded-br-md bg-brand-600 px-4 py-2.5 text-white shadow-sm [overflow-wrap:anywhere] dark:bg-brand-500">
            {text}
          </div>
        </div>
      </li>
    );
  }
  return (
    <li data-testid={testId} data-role="assistant" className="flex items-end gap-2.5 pr-6 sm:pr-16">
      <PersonaAvatar name={personaName} avatarUrl={avatarUrl} size="sm" />
      <div className="min-w-0 max-w-full">
        <p className="sr-only">{personaName} said:</p>
        <div
          data-testid="message-text"
          className="whitespace-pre-wrap break-words rounded-2xl rounded-bl-md bg-zinc-100 px-4 py-2.5 text-zinc-900 [overflow-wrap:anywhere] dark:bg-zinc-800 dark:text-zinc-100"
        >
          {text}
          {streaming ? (
            <span
              aria-hidden="true"
              className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse rounded-sm bg-zinc-400 dark:bg-zinc-500"
            />
          ) : null}
        </div>
      </div>
    </li>
  );
}
