// The account page's delete confirmation, shared by the dialog (to point at a typo before
// submitting) and the server action (which decides, after its zod check): the user types their
// email address, or the word "delete". No zod here: the dialog's bundle imports this file.

export const CONFIRM_WORD = "delete";

/** The query the home page is opened with after a deletion (components/account/account-deleted-notice.tsx). */
export const DELETED_NOTICE = "account-deleted";
export const DELETED_NOTICE_PATH = `/?notice=${DELETED_NOTICE}`;

export const MISMATCH_MESSAGE = "Type your email address exactly as shown, or the word delete.";

export const EMPTY_MESSAGE = "Type your email address to confirm.";

/** Whether `typed` confirms deleting the account of `email` (case and spaces aside). */
export function confirmsDeletion(typed: string, email: string | null): boolean {
  const value = typed.trim().toLowerCase();
  if (!value) return false;
  return value === CONFIRM_WORD || (email !== null && value === email.trim().toLowerCase());
}

/** What the delete action hands back to the dialog; success redirects and never returns. */
export type DeleteAccountState = {
  error?: { code: string; message: string };
  fieldError?: string;
  /** Echoed back so the typed confirmation survives a failed attempt. */
  confirmation?: string;
};
