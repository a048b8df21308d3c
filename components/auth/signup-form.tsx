"use client";
// The sign-up form: email and a new password (with the rules shown up front), busy while pending.

import Link from "next/link";
import { useActionState } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import type { AuthFormState } from "@/app/(auth)/schema";
import { EmailField, FormAlert, PasswordField, SubmitButton } from "./form-controls";

export function SignupForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState<AuthFormState, FormData>(signUpAction, {});
  const loginHref = next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
  if (state.notice) return <FormAlert tone="info">{state.notice}</FormAlert>;
  return (
    <form action={formAction} aria-busy={pending} noValidate className="flex flex-col gap-5">
      <input type="hidden" name="next" value={next} />
      {state.error ? <FormAlert>{state.error}</FormAlert> : null}
      <EmailField
        name="email"
        label="Email"
        autoComplete="email"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
        autoFocus={!state.fieldErrors?.password}
      />
      {state.code === "email_taken" ? (
        <p className="-mt-3 text-sm">
          <Link
            href={loginHref}
            className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300"
          >
            Sign in to that account instead
          </Link>
        </p>
      ) : null}
      <PasswordField
        name="password"
        label="Password"
        autoComplete="new-password"
        hint="At least 8 characters, mixing letters with digits or symbols."
        error={state.fieldErrors?.password}
        autoFocus={Boolean(state.fieldErrors?.password)}
      />
      <SubmitButton label="Create account" pendingLabel="Creating account…" />
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link
          href={loginHref}
          className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300"
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}
