// One chat bubble: the persona's on the left with its avatar, rendered as Markdown (also while it
// streams), marked when the visitor stopped it; the visitor's on the right, as the plain text
// they typed. Under each, its actions.

import { PersonaAvatar } from "@/components/persona-avatar";
import { Markdown } from "./markdown";
import { MessageActions } from "./message-actions";

export function MessageBubble({
  author,
  text,
  personaName,
  avatarUrl,
  streaming = false,
  stopped = false,
  testId = "message",
  actions,
}: {
  /** Who wrote it (not `role`, which JSX tooling reads as an ARIA role). */
  author: "user" | "assistant";
  text: string;
  personaName: string;
  avatarUrl: string | null;
  /** The reply is still arriving: half-finished Markdown is completed, a caret follows the text. */
  streaming?: boolean;
  /** The visitor stopped this reply: it is kept as it was when they did. */
  stopped?: boolean;
  testId?: string;
  /** More actions after Copy (e.g. Regenerate on the newest reply). */
  actions?: React.ReactNode;
}) {
  if (author === "user") {
    return (
      <li data-testid={testId} data-role="user" className="flex justify-end pl-10 sm:pl-16">
        <div className="flex min-w-0 max-w-full flex-col items-end">
          <p className="sr-only">You said:</p>
          <div className="whitespace-pre-wrap break-words rounded-2xl rounded-br-md bg-brand-600 px-4 py-2.5 text-white shadow-sm [overflow-wrap:anywhere] dark:bg-brand-500">
            {text}
          </div>
          <MessageActions text={text} align="end" copyLabel="Copy your message">
            {actions}
          </MessageActions>
        </div>
      </li>
    );
  }
  return (
    <li
      data-testid={testId}
      data-role="assistant"
      data-streaming={streaming || undefined}
      data-stopped={stopped || undefined}
      className="flex items-start gap-2.5 pr-2 sm:pr-16"
    >
      <PersonaAvatar name={personaName} avatarUrl={avatarUrl} size="sm" />
      <div className="flex min-w-0 flex-1 flex-col items-start">
        <p className="sr-only">{personaName} said:</p>
        {/* As wide as its words, and as wide as it may be once it holds a table or code block,
            so those do not squeeze to the width of the prose around them. */}
        <div
          data-testid="message-text"
          className="min-w-0 max-w-full rounded-2xl rounded-tl-md bg-zinc-100 px-4 py-2.5 text-zinc-900 [overflow-wrap:anywhere] has-[pre]:w-full has-[table]:w-full dark:bg-zinc-800 dark:text-zinc-100"
        >
          {text === "" && stopped ? (
            <p className="text-zinc-600 italic dark:text-zinc-400">Stopped before replying.</p>
          ) : (
            <Markdown text={text} streaming={streaming} />
          )}
        </div>
        {streaming ? null : (
          <MessageActions
            text={text}
            align="start"
            copyLabel={`Copy message from ${personaName}`}
            note={
              stopped && text !== "" ? (
                <span
                  data-testid="stopped-label"
                  className="inline-flex h-7 items-center gap-1 px-1.5 text-xs text-zinc-600 dark:text-zinc-400"
                >
                  <svg
                    aria-hidden="true"
                    viewBox="0 0 20 20"
                    fill="currentColor"
                    className="size-3"
                  >
                    <rect x="5" y="5" width="10" height="10" rx="1.5" />
                  </svg>
                  Stopped
                </span>
              ) : null
            }
          >
            {actions}
          </MessageActions>
        )}
      </div>
    </li>
  );
}
