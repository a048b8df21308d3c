"use client";
// "Rename conversation": a modal dialog (native <dialog>, like End conversation's) with the title
// in a text field, 1 to 100 characters. Enter saves, Esc or Cancel closes it unchanged; the
// server's sentence is shown when it refuses.

import { useEffect, useId, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import type { Conversation } from "@/lib/chat/types";
import { renameConversationRequest, TITLE_MAX_LENGTH, titleLength } from "./conversation-requests";

export const DIALOG_CLASS =
  "m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100";

export function ConversationRenameDialog({
  open,
  conversationId,
  title,
  personaName,
  onClose,
  onRenamed,
}: {
  open: boolean;
  conversationId: string;
  title: string | null;
  personaName: string;
  /** The dialog closed (saved, cancelled or Esc). */
  onClose: () => void;
  onRenamed: (conversation: Conversation) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(title ?? "");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const id = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setValue(title ?? "");
      setError(null);
      dialog.showModal();
      inputRef.current?.focus();
      inputRef.current?.select();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, title]);

  async function save(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const length = titleLength(value);
    if (length < 1 || length > TITLE_MAX_LENGTH) {
      setError(`A title must be 1 to ${TITLE_MAX_LENGTH} characters long.`);
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setPending(true);
    const result = await renameConversationRequest(conversationId, value.trim());
    setPending(false);
    if (!result.ok) {
      setError(result.message);
      inputRef.current?.focus();
      return;
    }
    dialogRef.current?.close();
    onRenamed(result.value);
  }

  const length = titleLength(value);
  const errorId = `${id}-error`;
  const countId = `${id}-count`;
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={`${id}-title`}
      data-testid="rename-dialog"
      onClose={onClose}
      className={DIALOG_CLASS}
    >
      <form onSubmit={save} noValidate className="p-5">
        <h2 id={`${id}-title`} className="font-semibold text-lg">
          Rename conversation
        </h2>
        <label htmlFor={`${id}-input`} className="mt-3 block font-medium text-sm">
          Title
        </label>
        <input
          ref={inputRef}
          id={`${id}-input`}
          name="title"
          type="text"
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            if (error) setError(null);
          }}
          placeholder={`Conversation with ${personaName}`}
          autoComplete="off"
          enterKeyHint="done"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${countId}` : countId}
          data-testid="rename-input"
          className="mt-1 block h-10 w-full rounded-lg border border-zinc-300 bg-white px-3 text-base text-zinc-900 outline-none placeholder:text-zinc-500 focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 aria-invalid:border-red-600 sm:text-sm dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:aria-invalid:border-red-400"
        />
        <div className="mt-1 flex items-start justify-between gap-3 text-xs">
          <p id={errorId} role="alert" className="min-h-4 text-red-700 dark:text-red-400">
            {error}
          </p>
          <p
            id={countId}
            className={`shrink-0 tabular-nums ${length > TITLE_MAX_LENGTH ? "text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}
          >
            {length}/{TITLE_MAX_LENGTH}
            <span className="sr-only"> characters</span>
          </p>
        </div>
        <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <button
            type="button"
            onClick={() => dialogRef.current?.close()}
            className={buttonClass("secondary", "md")}
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending}
            data-testid="rename-save"
            className={buttonClass("primary", "md")}
          >
            {pending ? "Saving…" : "Save"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
