"use client";
// "End conversation" with a confirm step (a modal dialog), via the end server action.

import { useRef, useState, useTransition } from "react";
import { endConversationAction } from "@/app/(chat)/actions";
import { buttonClass } from "@/components/ui/button-styles";
import type { Conversation } from "@/lib/chat/types";

export function EndConversationButton({
  conversationId,
  personaName,
  disabled,
  onEnded,
}: {
  conversationId: string;
  personaName: string;
  disabled: boolean;
  onEnded: (conversation: Conversation) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const keepChattingRef = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    setError(null);
    startTransition(async () => {
      const result = await endConversationAction(conversationId);
      if (result.ok) {
        dialogRef.current?.close();
        onEnded(result.conversation);
      } else {
        // The server's own sentence (lib/errors.ts), as everywhere in the chat.
        setError(result.error.message);
      }
    });
  }

  return (
    <>
      <button
        type="button"
        disabled={disabled}
        onClick={() => {
          setError(null);
          dialogRef.current?.showModal();
          // The safe choice gets focus in a destructive dialog.
          keepChattingRef.current?.focus();
        }}
        aria-label="End conversation"
        data-testid="end-conversation"
        className={buttonClass("secondary", "sm", "shrink-0")}
      >
        <span className="sm:hidden">End</span>
        <span className="hidden sm:inline">End conversation</span>
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby="end-dialog-title"
        aria-describedby="end-dialog-text"
        data-testid="end-dialog"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <div className="p-5">
          <h2 id="end-dialog-title" className="font-semibold text-lg">
            End this conversation?
          </h2>
          <p id="end-dialog-text" className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            You will not be able to send {personaName} more messages here. You can still read it,
            and start a new conversation at any time.
          </p>
          {error ? (
            <p role="alert" className="mt-3 text-red-700 text-sm dark:text-red-400">
              {error}
            </p>
          ) : null}
          <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <button
              ref={keepChattingRef}
              type="button"
              onClick={() => dialogRef.current?.close()}
              className={buttonClass("secondary", "md")}
            >
              Keep chatting
            </button>
            <button
              type="button"
              onClick={confirm}
              disabled={pending}
              data-testid="confirm-end"
              className={buttonClass("danger", "md")}
            >
              {pending ? "Ending…" : "End conversation"}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
