"use server";
// The sign-in, sign-up and sign-out server actions, and the password-reset ones (request a link,
// set the new password). On success they go back to `?next=` (a path on this site only);
// failures come back to the form as field and form errors.

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth";
import { signIn, signOut, signOutEverywhere, signUp } from "@/lib/auth/account";
import { safeNextPath } from "@/lib/auth/next-path";
import { type AppError, isAppError, toAppError } from "@/lib/errors";
import { readNewPassword, readResetRequest } from "./account-schema";
import { type AuthField, type AuthFormState, readCredentials } from "./schema";

export async function signInAction(
  _prev: AuthFormState,
  formData: FormData,
): Promise<AuthFormState> {
  const email = String(formData.get("email") ?? "").trim();
  const parsed = readCredentials(formData);
  if (!parsed.success) return invalid(parsed.error.issues, email);
  try {
    await signIn(parsed.data);
  } catch (error) {
    return failure(error, email);
  }
  redirect(safeNextPath(formData.get("next")));
}

export async function signUpAction(
  _prev: AuthFormState,
  formData: FormData,
): Promise<AuthFormState> {
  const email = String(formData.get("email") ?? "").trim();
  const parsed = readCredentials(formData);
  if (!parsed.success) return invalid(parsed.error.issues, email);
  let result: Awaited<ReturnType<typeof signUp>>;
  try {
    result = await signUp(parsed.data);
  } catch (error) {
    return failure(error, email);
  }
  if (result.status === "confirm-email") {
    return {
      email,
      notice: `We sent a confirmation link to ${result.email}. Open it, then sign in to keep chatting.`,
    };
  }
  redirect(safeNextPath(formData.get("next")));
}

export async function signOutAction(): Promise<void> {
  await signOut();
  redirect("/");
}

/** Ends every session of the account, on every device. */
export async function signOutEverywhereAction(): Promise<void> {
  await signOutEverywhere();
  redirect("/");
}

/**
 * "Forgot password": asks the sign-in service to email a reset link. The answer does not say
 * whether the address has an account.
 */
export async function requestPasswordResetAction(
  _prev: AuthFormState,
  formData: FormData,
): Promise<AuthFormState> {
  const email = String(formData.get("email") ?? "").trim();
  const parsed = readResetRequest(formData);
  if (!parsed.success) return invalid(parsed.error.issues, email);
  try {
    await (await getAuth()).requestPasswordReset(parsed.data.email, await resetLinkTarget());
  } catch (error) {
    return failure(error, email);
  }
  return {
    email,
    notice: `If ${parsed.data.email} has an account, we have sent it a link to choose a new password. It works once, for an hour.`,
  };
}

/** Sets the new password of the visitor signed in by a recovery link. */
export async function updatePasswordAction(
  _prev: AuthFormState,
  formData: FormData,
): Promise<AuthFormState> {
  const parsed = readNewPassword(formData);
  if (!parsed.success) return invalid(parsed.error.issues, "");
  try {
    await (await getAuth()).updatePassword(parsed.data.password);
  } catch (error) {
    return failure(error, "");
  }
  return { notice: "Your password has been changed, and you are signed in." };
}

/**
 * Where the reset email's link leads: this site's /auth/confirm, which signs the visitor in and
 * opens /reset-password. The browser's Origin header names the site (Next.js has checked it
 * against the Host for this action); Supabase Auth only sends links to its allowed redirect URLs.
 */
async function resetLinkTarget(): Promise<string> {
  const h = await headers();
  const origin = h.get("origin") ?? `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host")}`;
  return new URL("/auth/confirm?next=/reset-password", origin).toString();
}

function invalid(issues: { path: PropertyKey[]; message: string }[], email: string): AuthFormState {
  const fieldErrors: AuthFormState["fieldErrors"] = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if ((field === "email" || field === "password") && !fieldErrors[field]) {
      fieldErrors[field] = issue.message;
    }
  }
  return { email, code: "invalid_input", fieldErrors };
}

// Which field an error belongs to, when it belongs to one.
const FIELD_OF: Partial<Record<AppError["code"], AuthField>> = {
  weak_password: "password",
  email_taken: "email",
  invalid_input: "email",
};

function failure(error: unknown, email: string): AuthFormState {
  const e = isAppError(error) ? error : toAppError(error);
  if (e.code === "internal" || e.code === "service_unavailable") {
    return {
      email,
      code: e.code,
      error: "We could not reach the sign-in service. Try again shortly.",
    };
  }
  const fields = (e.details?.fields ?? {}) as Partial<Record<AuthField, string>>;
  const field = FIELD_OF[e.code];
  if (field && !fields[field]) fields[field] = e.message;
  return {
    email,
    code: e.code,
    fieldErrors: fields,
    // Field problems are shown at the field; everything else at the top of the form.
    error: field ? undefined : e.message,
  };
}
