"use client";
// The account page's danger zone action: "Delete account…" opens a modal dialog in which the user
// types their email address (or the word delete) and confirms; the server action deletes the
// account, signs out and lands on the home page. Errors stay in the dialog, as a sentence.

import { useActionState, useId, useRef, useState } from "react";
import { useFormStatus } from "react-dom";
import { deleteAccountAction } from "@/app/(chat)/account/actions";
import {
  confirmsDeletion,
  type DeleteAccountState,
  EMPTY_MESSAGE,
  MISMATCH_MESSAGE,
} from "@/app/(chat)/account/schema";
import { buttonClass } from "@/components/ui/button-styles";

const INPUT =
  "block w-full rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm outline-none transition-colors placeholder:text-zinc-400 focus:border-red-500 focus:ring-2 focus:ring-red-500/30 disabled:opacity-60 sm:text-sm dark:bg-zinc-900";

export function DeleteAccountDialog({ email }: { email: string | null }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [state, formAction, pending] = useActionState<DeleteAccountState, FormData>(
    deleteAccountAction,
    {},
  );
  const [typed, setTyped] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  // A field error shows until the user edits the field again.
  const [editedSince, setEditedSince] = useState<DeleteAccountState | null>(null);
  const serverFieldError = editedSince === state ? null : (state.fieldError ?? null);
  const fieldError = localError ?? serverFieldError;

  function open() {
    setLocalError(null);
    setEditedSince(state);
    dialogRef.current?.showModal();
    // The safe choice gets focus in a destructive dialog.
    cancelRef.current?.focus();
  }

  return (
    <>
      <button
        type="button"
        onClick={open}
        data-testid="open-delete-account"
        className={buttonClass("danger", "md", "w-full sm:w-auto")}
      >
        Delete account…
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={`${inputId}-title`}
        aria-describedby={`${inputId}-text`}
        data-testid="delete-account-dialog"
        // While the deletion runs, Esc does not close the dialog over it.
        onCancel={(event) => {
          if (pending) event.preventDefault();
        }}
        className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/60 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form
          action={formAction}
          onSubmit={(event) => {
            if (!confirmsDeletion(typed, email)) {
              event.preventDefault();
              setLocalError(typed.trim() ? MISMATCH_MESSAGE : EMPTY_MESSAGE);
              // Back to the field, whose description now reads out the problem.
              inputRef.current?.focus();
            }
          }}
          className="p-5"
          noValidate
        >
          <h2 id={`${inputId}-title`} className="font-semibold text-lg">
            Delete your account?
          </h2>
          <div
            id={`${inputId}-text`}
            className="mt-2 space-y-2 text-sm text-zinc-600 dark:text-zinc-400"
          >
            <p>
              This deletes your account and every conversation in it, with its messages and voice
              recordings. It cannot be undone, and you will be signed out on every device.
            </p>
          </div>
          <div className="mt-4 flex flex-col gap-1.5">
            <label htmlFor={inputId} className="font-medium text-sm">
              To confirm, type{" "}
              {email ? (
                <>
                  your email address{" "}
                  <span className="mt-0.5 block break-all font-semibold">{email}</span>
                </>
              ) : (
                <span className="font-semibold">delete</span>
              )}
            </label>
            <input
              ref={inputRef}
              id={inputId}
              name="confirmation"
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              maxLength={255}
              key={state.confirmation}
              defaultValue={state.confirmation}
              autoFocus={Boolean(state.fieldError)}
              onChange={(event) => {
                setTyped(event.target.value);
                setLocalError(null);
                setEditedSince(state);
              }}
              disabled={pending}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${inputId}-error` : `${inputId}-hint`}
              data-testid="delete-account-confirmation"
              className={`${INPUT} ${fieldError ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
            />
            {fieldError ? (
              <p id={`${inputId}-error`} className="text-red-700 text-sm dark:text-red-400">
                {fieldError}
              </p>
            ) : (
              <p id={`${inputId}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
                {email ? "Or type the word delete." : "Type the word exactly."}
              </p>
            )}
          </div>
          {state.error ? (
            <p
              role="alert"
              data-testid="delete-account-error"
              data-code={state.error.code}
              className="mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-red-800 text-sm dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
            >
              {state.error.message}
            </p>
          ) : null}
          <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <button
              ref={cancelRef}
              type="button"
              disabled={pending}
              onClick={() => dialogRef.current?.close()}
              className={buttonClass("secondary", "md")}
            >
              Keep my account
            </button>
            <ConfirmButton />
          </div>
        </form>
      </dialog>
    </>
  );
}

function ConfirmButton() {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      aria-disabled={pending || undefined}
      onClick={(event) => {
        if (pending) event.preventDefault();
      }}
      data-testid="confirm-delete-account"
      className={buttonClass("danger", "md")}
    >
      {pending ? (
        <>
          <span
            aria-hidden="true"
            className="size-4 animate-spin rounded-full border-2 border-white/40 border-t-white motion-reduce:animate-none"
          />
          Deleting your account…
        </>
      ) : (
        "Delete my account"
      )}
    </button>
  );
}
