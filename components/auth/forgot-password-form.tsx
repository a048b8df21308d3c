"use client";
// "Forgot password": the account's email, then a notice to check the inbox (the same whether or
// not the address has an account).

import Link from "next/link";
import { useActionState } from "react";
import { requestPasswordResetAction } from "@/app/(auth)/actions";
import type { AuthFormState } from "@/app/(auth)/schema";
import { EmailField, FormAlert, SubmitButton } from "./form-controls";

export function ForgotPasswordForm() {
  const [state, formAction, pending] = useActionState<AuthFormState, FormData>(
    requestPasswordResetAction,
    {},
  );
  if (state.notice) {
    return (
      <div className="flex flex-col gap-5">
        <FormAlert tone="info">{state.notice}</FormAlert>
        <BackToSignIn />
      </div>
    );
  }
  return (
    <form action={formAction} aria-busy={pending} noValidate className="flex flex-col gap-5">
      {state.error ? <FormAlert>{state.error}</FormAlert> : null}
      <EmailField
        name="email"
        label="Email"
        autoComplete="email"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
        autoFocus
      />
      <SubmitButton label="Send reset link" pendingLabel="Sending…" />
      <BackToSignIn />
    </form>
  );
}

export function BackToSignIn() {
  return (
    <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
      Remembered it?{" "}
      <Link
        href="/login"
        className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300"
      >
        Sign in
      </Link>
    </p>
  );
}
