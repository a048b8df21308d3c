// Built-in email + password accounts and their sessions (embedded and postgres modes), over the
// SQL functions in schema local_auth: sign-up is one round trip; a sign-in is one round trip when
// it fails and two when it succeeds; checking or refreshing a session is one. The database keeps
// the throttles and the sessions, so they hold across server instances, and if it cannot be
// reached the sign-in fails (never passes unchecked). Each function takes the port it runs on.

import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { DbPort, LocalAuthResult } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { hashPassword, passwordProblem, verifyPassword } from "./password";

/**
 * Failed sign-ins allowed in the window: per (email, address) pair, per address, and per email
 * across all addresses. The last is much higher, so that a stranger guessing from a few
 * addresses cannot lock the owner out, while a distributed guesser is still slowed down.
 */
export type SignInThrottle = {
  maxPerPair: number;
  maxPerIp: number;
  maxPerEmail: number;
  windowSeconds: number;
};
export const SIGN_IN_THROTTLE: Readonly<SignInThrottle> = {
  maxPerPair: 5,
  maxPerIp: 20,
  maxPerEmail: 100,
  windowSeconds: 15 * 60,
};

/** Sign-ups allowed per address in the window (every attempt counts, an email in use too). */
export type SignUpThrottle = { maxPerIp: number; windowSeconds: number };

/** How long a session lasts after the password was entered; refreshing never extends it. */
export const SESSION_ABSOLUTE_SECONDS = 60 * 60 * 24 * 30;

export type LocalAccount = { id: string; email: string };
export type LocalSession = { id: string; authTime: number; expiresAt: number };
/** A signed-in session: the account, the session row, and the refresh token for the cookie. */
export type LocalSignedIn = { user: LocalAccount; session: LocalSession; refreshToken: string };

/** The weak_password error, with the reason as the password field's error. */
export function weakPasswordError(reason: string): AppError {
  return new AppError("weak_password", reason, { details: { fields: { password: reason } } });
}

/** A new refresh token (256 random bits) and the SHA-256 the database keeps instead of it. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Creates an account and opens its session. email_taken when the email is in use (whatever its
 * case), too_many_attempts when the address made too many sign-ups in the window.
 */
export async function localSignUp(
  db: DbPort,
  input: { email: string; password: string; ip: string },
  throttle: SignUpThrottle,
): Promise<LocalSignedIn> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw weakPasswordError(problem);
  const hash = await hashPassword(input.password);
  const refresh = newRefreshToken();
  const result = await db
    .localAuth("sign_up", {
      p_email: input.email,
      p_password_hash: hash,
      p_ip: input.ip,
      p_refresh_token_hash: refresh.hash,
      p_session_seconds: SESSION_ABSOLUTE_SECONDS,
      p_max_per_ip: throttle.maxPerIp,
      p_window_seconds: throttle.windowSeconds,
    })
    .catch((error: unknown) => {
      throw withRetryAfter(error, throttle.windowSeconds);
    });
  if (result.status === "email_taken") {
    throw new AppError("email_taken", undefined, {
      details: { fields: { email: "An account with that email already exists." } },
    });
  }
  return { user: result.user, session: result.session, refreshToken: refresh.token };
}

/**
 * Checks an email and password and opens a session. invalid_credentials when they do not match
 * (the same for an unknown email), too_many_attempts (with `details.retryAfterSeconds`) when
 * throttled.
 */
export async function localSignIn(
  db: DbPort,
  input: { email: string; password: string; ip: string },
  throttle: Partial<SignInThrottle> = {},
): Promise<LocalSignedIn> {
  const limits = { ...SIGN_IN_THROTTLE, ...throttle };
  let begun: LocalAuthResult<"begin_sign_in">;
  try {
    begun = await db.localAuth("begin_sign_in", {
      p_email: input.email,
      p_ip: input.ip,
      p_max_per_pair: limits.maxPerPair,
      p_max_per_ip: limits.maxPerIp,
      p_max_per_email: limits.maxPerEmail,
      p_window_seconds: limits.windowSeconds,
    });
  } catch (error) {
    throw withRetryAfter(error, limits.windowSeconds);
  }
  const matches = await verifyPassword(input.password, begun.user?.passwordHash ?? null);
  if (!matches || !begun.user) throw new AppError("invalid_credentials");
  const refresh = newRefreshToken();
  const finished = await db.localAuth("finish_sign_in", {
    p_attempt_id: begun.attemptId,
    p_refresh_token_hash: refresh.hash,
    p_session_seconds: SESSION_ABSOLUTE_SECONDS,
  });
  return { ...finished, refreshToken: refresh.token };
}

/** The account of a live session (not signed out, not expired), or null. */
export function localSessionUser(db: DbPort, sessionId: string): Promise<LocalAccount | null> {
  return db.localAuth("session_user", { p_session_id: sessionId });
}

/**
 * Exchanges a refresh token for a rotated one. `refreshToken` is null when another request had
 * just rotated it (the cookie that request set stays). Null when the token is unknown, signed
 * out or expired.
 */
export async function localRefresh(
  db: DbPort,
  refreshToken: string,
): Promise<(Omit<LocalSignedIn, "refreshToken"> & { refreshToken: string | null }) | null> {
  const next = newRefreshToken();
  const result = await db.localAuth("refresh_session", {
    p_refresh_token_hash: hashRefreshToken(refreshToken),
    p_new_refresh_token_hash: next.hash,
  });
  if (!result) return null;
  return {
    user: result.user,
    session: result.session,
    refreshToken: result.rotated ? next.token : null,
  };
}

/** Signs one session out, found by its id or by its refresh token. */
export async function localRevoke(
  db: DbPort,
  session: { sessionId: string | null; refreshToken: string | null },
): Promise<void> {
  if (!session.sessionId && !session.refreshToken) return;
  await db.localAuth("revoke_session", {
    p_session_id: session.sessionId,
    p_refresh_token_hash: session.refreshToken ? hashRefreshToken(session.refreshToken) : null,
  });
}

/** Signs the user out everywhere; returns how many sessions ended. */
export function localRevokeAll(db: DbPort, userId: string): Promise<number> {
  return db.localAuth("revoke_user_sessions", { p_user_id: userId });
}

/** too_many_attempts carries `retry_after_seconds=N` in the database error's HINT. */
function withRetryAfter(error: unknown, windowSeconds: number): unknown {
  if (!isAppError(error) || error.code !== "too_many_attempts") return error;
  const hint = (error.cause as { hint?: unknown } | undefined)?.hint;
  const seconds =
    typeof hint === "string" ? Number(/retry_after_seconds=(\d+)/.exec(hint)?.[1]) : NaN;
  return new AppError("too_many_attempts", error.message, {
    cause: error.cause,
    details: { retryAfterSeconds: Number.isFinite(seconds) ? seconds : windowSeconds },
  });
}
