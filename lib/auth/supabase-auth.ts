// Supabase mode: sign-up, sign-in, sign-out and "who is this" through Supabase Auth, on a client
// made by lib/supabase (whose cookies carry the session). Errors become the project's AppError.

import { type AuthError, isAuthError, type SupabaseClient } from "@supabase/supabase-js";
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

export function mapSupabaseAuthError(error: AuthError | unknown): AppError {
  if (!isAuthError(error)) return new AppError("internal", undefined, { cause: error });
  const code = error.code ?? "";
  switch (code) {
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
