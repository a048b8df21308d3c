"use server";
// The sign-in, sign-up and sign-out server actions. On success they go back to `?next=` (a path
// on this site only); failures come back to the form as field and form errors.

import { redirect } from "next/navigation";
import { signIn, signOut, signOutEverywhere, signUp } from "@/lib/auth/account";
import { safeNextPath } from "@/lib/auth/next-path";
import { type AppError, isAppError, toAppError } from "@/lib/errors";
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
