"use server";
// The account page's server action: deletes the signed-in user's account and everything in it
// (lib/auth/account-deletion.ts), signs them out, and lands on the home page with a notice.
// Failures come back to the dialog as a stable code and a sentence.

import { redirect } from "next/navigation";
import { z } from "zod";
import { deleteSignedInAccount } from "@/lib/auth/account-deletion";
import { toAppError } from "@/lib/errors";
import {
  confirmsDeletion,
  DELETED_NOTICE_PATH,
  type DeleteAccountState,
  EMPTY_MESSAGE,
  MISMATCH_MESSAGE,
} from "./schema";

const DeleteAccountInput = z.object({
  confirmation: z
    .string({ error: EMPTY_MESSAGE })
    .trim()
    .min(1, EMPTY_MESSAGE)
    .max(255, MISMATCH_MESSAGE),
});

export async function deleteAccountAction(
  _previous: DeleteAccountState,
  formData: FormData,
): Promise<DeleteAccountState> {
  const typed = String(formData.get("confirmation") ?? "");
  const parsed = DeleteAccountInput.safeParse({
    confirmation: formData.get("confirmation") ?? undefined,
  });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? MISMATCH_MESSAGE;
    return { fieldError: message, confirmation: typed };
  }
  try {
    await deleteSignedInAccount(
      (user) => confirmsDeletion(parsed.data.confirmation, user.email),
      MISMATCH_MESSAGE,
    );
  } catch (error) {
    const e = toAppError(error);
    if (e.code === "invalid_input") return { fieldError: e.message, confirmation: typed };
    if (e.code === "internal" || e.code === "service_unavailable") {
      console.error("[account] could not delete the account", error);
      return {
        confirmation: typed,
        error: {
          code: e.code,
          message: "We could not finish deleting your account just now. Try again shortly.",
        },
      };
    }
    return { confirmation: typed, error: { code: e.code, message: e.message } };
  }
  // Outside the try: redirect() works by throwing.
  redirect(DELETED_NOTICE_PATH);
}
