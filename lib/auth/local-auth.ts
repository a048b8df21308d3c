// Built-in email + password accounts (embedded and postgres modes) over the SQL functions in
// schema local_auth (supabase/migrations): sign-up is one round trip; a sign-in is one round trip
// when it fails and two when it succeeds. The database keeps the throttle, so it holds across
// server instances, and if it cannot be reached the sign-in fails (never passes unchecked).

import { type DbPort, getDb, type LocalAuthResult } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { hashPassword, passwordProblem, verifyPassword } from "./password";

/** Failed sign-ins allowed per email, and per IP, in the window before further ones are refused. */
export type SignInThrottle = { maxPerEmail: number; maxPerIp: number; windowSeconds: number };
export const SIGN_IN_THROTTLE: Readonly<SignInThrottle> = {
  maxPerEmail: 5,
  maxPerIp: 20,
  windowSeconds: 15 * 60,
};

export type LocalAccount = { id: string; email: string };
type Deps = { db?: DbPort; throttle?: Partial<SignInThrottle> };

async function port(deps?: Deps): Promise<DbPort> {
  return deps?.db ?? getDb();
}

/** The weak_password error, with the reason as the password field's error. */
export function weakPasswordError(reason: string): AppError {
  return new AppError("weak_password", reason, { details: { fields: { password: reason } } });
}

/** Creates an account (email_taken when the email is in use, whatever its case). */
export async function localSignUp(
  input: { email: string; password: string },
  deps?: Deps,
): Promise<LocalAccount> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw weakPasswordError(problem);
  const hash = await hashPassword(input.password);
  return (await port(deps)).localAuth("sign_up", { p_email: input.email, p_password_hash: hash });
}

/**
 * Checks an email and password. invalid_credentials when they do not match (the same for an
 * unknown email), too_many_attempts (with `details.retryAfterSeconds`) when throttled.
 */
export async function localSignIn(
  input: { email: string; password: string; ip: string | null },
  deps?: Deps,
): Promise<LocalAccount> {
  const db = await port(deps);
  const throttle = { ...SIGN_IN_THROTTLE, ...deps?.throttle };
  let begun: LocalAuthResult<"begin_sign_in">;
  try {
    begun = await db.localAuth("begin_sign_in", {
      p_email: input.email,
      p_ip: input.ip,
      p_max_per_email: throttle.maxPerEmail,
      p_max_per_ip: throttle.maxPerIp,
      p_window_seconds: throttle.windowSeconds,
    });
  } catch (error) {
    throw withRetryAfter(error);
  }
  const matches = await verifyPassword(input.password, begun.user?.passwordHash ?? null);
  if (!matches || !begun.user) throw new AppError("invalid_credentials");
  return db.localAuth("finish_sign_in", { p_attempt_id: begun.attemptId });
}

/** too_many_attempts carries `retry_after_seconds=N` in the database error's HINT. */
function withRetryAfter(error: unknown): unknown {
  if (!isAppError(error) || error.code !== "too_many_attempts") return error;
  const hint = (error.cause as { hint?: unknown } | undefined)?.hint;
  const seconds =
    typeof hint === "string" ? Number(/retry_after_seconds=(\d+)/.exec(hint)?.[1]) : NaN;
  return new AppError("too_many_attempts", error.message, {
    cause: error.cause,
    details: {
      retryAfterSeconds: Number.isFinite(seconds) ? seconds : SIGN_IN_THROTTLE.windowSeconds,
    },
  });
}
