"use client";
// The sign-in form: email and password, errors at their field or at the top, busy while pending,
// and the way to a new password.

import Link from "next/link";
import { useActionState } from "react";
import { signInAction } from "@/app/(auth)/actions";
import type { AuthFormState } from "@/app/(auth)/schema";
import { EmailField, FormAlert, PasswordField, SubmitButton } from "./form-controls";

export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState<AuthFormState, FormData>(signInAction, {});
  const signupHref = next === "/" ? "/signup" : `/signup?next=${encodeURIComponent(next)}`;
  return (
    <form action={formAction} aria-busy={pending} noValidate className="flex flex-col gap-5">
      <input type="hidden" name="next" value={next} />
      {state.error ? <FormAlert>{state.error}</FormAlert> : null}
      <EmailField
        name="email"
        label="Email"
        autoComplete="username"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
        autoFocus={!state.fieldErrors?.password}
      />
      <PasswordField
        name="password"
        label="Password"
        autoComplete="current-password"
        error={state.fieldErrors?.password}
        autoFocus={Boolean(state.fieldErrors?.password)}
      />
      <p className="-mt-3 text-right text-sm">
        <Link
          href="/forgot-password"
          className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300"
        >
          Forgot your password?
        </Link>
      </p>
      <SubmitButton label="Sign in" pendingLabel="Signing in…" />
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        New here?{" "}
        <Link
          href={signupHref}
          className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300"
        >
          Create an account
        </Link>
      </p>
    </form>
  );
}
