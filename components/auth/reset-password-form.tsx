"use client";
// The new password, for a visitor signed in by a recovery link: the same rules as sign-up, shown
// up front; afterwards a way on to their conversations.

import Link from "next/link";
import { useActionState } from "react";
import { updatePasswordAction } from "@/app/(auth)/actions";
import type { AuthFormState } from "@/app/(auth)/schema";
import { buttonClass } from "@/components/ui/button-styles";
import { FormAlert, PasswordField, SubmitButton } from "./form-controls";

export function ResetPasswordForm({ email }: { email: string | null }) {
  const [state, formAction, pending] = useActionState<AuthFormState, FormData>(
    updatePasswordAction,
    {},
  );
  if (state.notice) {
    return (
      <div className="flex flex-col gap-5">
        <FormAlert tone="info">{state.notice}</FormAlert>
        <Link href="/" className={buttonClass("primary", "lg", "w-full")}>
          Go to your conversations
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} aria-busy={pending} noValidate className="flex flex-col gap-5">
      {state.error ? <FormAlert>{state.error}</FormAlert> : null}
      {/* Tells password managers which account the new password belongs to. */}
      {email ? (
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      ) : null}
      <PasswordField
        name="password"
        label="New password"
        autoComplete="new-password"
        hint="At least 8 characters, mixing letters with digits or symbols."
        error={state.fieldErrors?.password}
        autoFocus
      />
      <SubmitButton label="Set new password" pendingLabel="Saving…" />
    </form>
  );
}
