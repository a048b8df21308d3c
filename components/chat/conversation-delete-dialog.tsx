"use client";
// "Delete this conversation?": the confirm step before DELETE /api/conversations/{id}, a modal
// dialog like End conversation's. Cancel (which has focus first) and Esc keep the conversation.

import { useEffect, useId, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { DIALOG_CLASS } from "./conversation-rename-dialog";
import { deleteConversationRequest } from "./conversation-requests";

export function ConversationDeleteDialog({
  open,
  conversationId,
  label,
  onClose,
  onDeleted,
}: {
  open: boolean;
  conversationId: string;
  /** The conversation's title (or persona name), to say which one goes. */
  label: string;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const id = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(null);
      dialog.showModal();
      // The safe choice gets focus in a destructive dialog.
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  async function confirm() {
    if (pending) return;
    setError(null);
    setPending(true);
    const result = await deleteConversationRequest(conversationId);
    setPending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    dialogRef.current?.close();
    onDeleted();
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      data-testid="delete-dialog"
      onClose={onClose}
      className={DIALOG_CLASS}
    >
      <div className="p-5">
        <h2 id={`${id}-title`} className="font-semibold text-lg">
          Delete this conversation?
        </h2>
        <p id={`${id}-text`} className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Its messages and audio are deleted for good.
        </p>
        <p className="mt-2 truncate font-medium text-sm" title={label}>
          {label}
        </p>
        {error ? (
          <p role="alert" className="mt-3 text-red-700 text-sm dark:text-red-400">
            {error}
          </p>
        ) : null}
        <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <button
            ref={cancelRef}
            type="button"
            onClick={() => dialogRef.current?.close()}
            className={buttonClass("secondary", "md")}
          >
            Cancel
          </button>
          <button
            type="button"
            onClick={confirm}
            disabled={pending}
            data-testid="confirm-delete"
            className={buttonClass("danger", "md")}
          >
            {pending ? "Deleting…" : "Delete"}
          </button>
        </div>
      </div>
    </dialog>
  );
}
