// Supabase mode: sign-up, sign-in, sign-out and "who is this" through Supabase Auth, on a client
// made by lib/supabase (whose cookies carry the session), and the account flows of Supabase's SSR
// guide for Next.js: email links completed with verifyOtp(token_hash), "forgot password" with
// resetPasswordForEmail, the new password with updateUser. Errors become the project's AppError.

import {
  type AuthError,
  type EmailOtpType,
  isAuthError,
  isAuthSessionMissingError,
  type SupabaseClient,
} from "@supabase/supabase-js";
import { AppError } from "@/lib/errors";
import { weakPasswordError } from "./local-auth";
import { passwordProblem } from "./password";

// Any database typing: these functions only use the auth API.
type AuthClient = Pick<SupabaseClient, "auth">;

export type SupabaseAccount = { id: string; email: string | null };

/**
 * The signed-in user from the verified access token (getClaims checks the signature: with the
 * project's asymmetric keys locally, with a legacy HS256 secret by asking Auth's /user endpoint).
 * Null when there is no valid session. Never throws.
 */
export async function supabaseIdentity(client: AuthClient): Promise<SupabaseAccount | null> {
  try {
    const { data, error } = await client.auth.getClaims();
    if (error || !data?.claims?.sub) return null;
    const { sub, email } = data.claims;
    return { id: sub, email: typeof email === "string" && email ? email : null };
  } catch (error) {
    console.error("[auth] could not read the Supabase session", error);
    return null;
  }
}

export async function supabaseSignIn(
  client: AuthClient,
  input: { email: string; password: string },
): Promise<SupabaseAccount> {
  const { data, error } = await client.auth.signInWithPassword(input);
  if (error) throw mapSupabaseAuthError(error);
  if (!data.user) throw new AppError("invalid_credentials");
  return { id: data.user.id, email: data.user.email ?? input.email };
}

/**
 * Creates the account. `signedIn` is false when the project requires email confirmation first
 * (Supabase then returns the user without a session).
 */
export async function supabaseSignUp(
  client: AuthClient,
  input: { email: string; password: string },
): Promise<SupabaseAccount & { signedIn: boolean }> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw weakPasswordError(problem);
  const { data, error } = await client.auth.signUp(input);
  if (error) throw mapSupabaseAuthError(error);
  if (!data.user) throw new AppError("internal", "Supabase Auth returned no user.");
  return {
    id: data.user.id,
    email: data.user.email ?? input.email,
    signedIn: Boolean(data.session),
  };
}

/**
 * Ends this browser's session ("local") or all of the user's sessions ("global") at Supabase Auth
 * and removes this browser's cookies (even if Auth cannot be reached).
 */
export async function supabaseSignOut(
  client: AuthClient,
  scope: "local" | "global",
): Promise<void> {
  const { error } = await client.auth.signOut({ scope });
  if (error) console.warn("[auth] Supabase sign-out:", error.message);
}

/** What an expired, used or unknown email link is told. */
export const EXPIRED_LINK_MESSAGE =
  "This link has expired or was already used. Request a new one and open it within the hour.";

/**
 * Completes an email link (sign-up confirmation, password recovery...) from its token hash: the
 * visitor is signed in, the session stored in the cookies.
 */
export async function supabaseVerifyEmailLink(
  client: AuthClient,
  link: { tokenHash: string; type: EmailOtpType },
): Promise<SupabaseAccount> {
  const { data, error } = await client.auth.verifyOtp({
    token_hash: link.tokenHash,
    type: link.type,
  });
  if (error) throw mapSupabaseAuthError(error);
  if (!data.user || !data.session) throw new AppError("invalid_credentials", EXPIRED_LINK_MESSAGE);
  return { id: data.user.id, email: data.user.email ?? null };
}

const REPORTED_RESET_ERRORS = new Set<AppError["code"]>([
  "invalid_input",
  "too_many_attempts",
  "service_unavailable",
]);

/**
 * Asks Supabase Auth to email a password-reset link. Supabase answers the same for unknown
 * addresses, so this does too; only rate limits and outages are reported.
 */
export async function supabaseRequestPasswordReset(
  client: AuthClient,
  email: string,
  redirectTo: string,
): Promise<void> {
  const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo });
  if (!error) return;
  const mapped = mapSupabaseAuthError(error);
  if (REPORTED_RESET_ERRORS.has(mapped.code)) throw mapped;
  console.warn("[auth] Supabase password reset:", error.message);
}

/** Sets the signed-in user's new password, after the app's own policy accepts it. */
export async function supabaseUpdatePassword(client: AuthClient, password: string): Promise<void> {
  const user = await supabaseIdentity(client);
  if (!user) throw new AppError("unauthorized", EXPIRED_LINK_MESSAGE);
  const problem = passwordProblem(password, user.email ?? "");
  if (problem) throw weakPasswordError(problem);
  const { error } = await client.auth.updateUser({ password });
  if (error) throw mapSupabaseAuthError(error);
}

export function mapSupabaseAuthError(error: AuthError | unknown): AppError {
  if (!isAuthError(error)) return new AppError("internal", undefined, { cause: error });
  if (isAuthSessionMissingError(error)) {
    return new AppError("unauthorized", EXPIRED_LINK_MESSAGE, { cause: error });
  }
  const code = error.code ?? "";
  switch (code) {
    case "otp_expired":
    case "flow_state_expired":
    case "flow_state_not_found":
      return new AppError("invalid_credentials", EXPIRED_LINK_MESSAGE, { cause: error });
    case "same_password":
      return weakPasswordError("Choose a password different from your old one.");
    case "session_not_found":
    case "session_expired":
    case "reauthentication_needed":
      return new AppError("unauthorized", EXPIRED_LINK_MESSAGE, { cause: error });
    case "invalid_credentials":
      return new AppError("invalid_credentials", undefined, { cause: error });
    case "email_not_confirmed":
      return new AppError(
        "invalid_credentials",
        "Confirm your email address first: open the link we sent you.",
        { cause: error },
      );
    case "user_already_exists":
    case "email_exists":
      return new AppError("email_taken", undefined, { cause: error, details: emailField() });
    case "weak_password":
      return weakPasswordError(error.message || "Choose a stronger password.");
    case "email_address_invalid":
    case "validation_failed":
      return new AppError("invalid_input", "Enter a valid email address.", {
        cause: error,
        details: { fields: { email: "Enter a valid email address." } },
      });
    case "signup_disabled":
    case "email_provider_disabled":
      return new AppError("forbidden", "Sign-up is turned off for this site.", { cause: error });
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return new AppError("too_many_attempts", undefined, { cause: error });
  }
  if (error.status === 429) return new AppError("too_many_attempts", undefined, { cause: error });
  if (!error.status || error.status >= 500) {
    console.error("[auth] Supabase Auth unavailable", error);
    return new AppError("service_unavailable", undefined, { cause: error });
  }
  console.error("[auth] unexpected Supabase Auth error", error);
  return new AppError("internal", undefined, { cause: error });
}

function emailField() {
  return { fields: { email: "An account with that email already exists." } };
}
