// The built-in session (embedded and postgres modes): an httpOnly cookie holding an HS256 JWT with
// Supabase-shaped claims, signed with a key derived from APP_SECRET. Stateless: reading it needs
// no database. It lives 7 days, is re-issued once past half-life (root proxy.ts), and is never
// extended beyond 30 days after the password was last entered.

import "server-only";
import { createHmac, randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { getConfig } from "@/lib/config";
import { isUuid } from "@/lib/ids";
import { getAppSecret } from "./secret";

export const SESSION_COOKIE = "pc_session";
/** Seconds a token (and its cookie) lives. */
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7;
/** Seconds after signing in beyond which a session is not re-issued any more. */
export const SESSION_ABSOLUTE_SECONDS = 60 * 60 * 24 * 30;
export const SESSION_ISSUER = "persona-chat";
const AUDIENCE = "authenticated";

/** The claims, shaped like a Supabase Auth access token's. */
export type LocalSessionClaims = {
  sub: string;
  email: string;
  role: "authenticated";
  aud: "authenticated";
  iss: string;
  iat: number;
  exp: number;
  /** When the password was entered (seconds), kept across re-issues. */
  auth_time: number;
  session_id: string;
  aal: "aal1";
  amr: { method: "password"; timestamp: number }[];
  is_anonymous: false;
  app_metadata: { provider: "email"; providers: ["email"] };
  user_metadata: Record<string, never>;
};

export type SessionUser = { id: string; email: string };

// Its own key, so a value signed for another purpose with APP_SECRET can never pass as a session.
function signingKey(secret: string): Uint8Array {
  return new Uint8Array(
    createHmac("sha256", secret).update("persona-chat/local-session/v1").digest(),
  );
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Signs a session for the user. `previous` keeps the session id and sign-in time on re-issue. */
export async function issueSessionToken(
  user: SessionUser,
  options: {
    secret?: string;
    now?: number;
    previous?: Pick<LocalSessionClaims, "auth_time" | "session_id">;
  } = {},
): Promise<string> {
  const now = options.now ?? nowSeconds();
  const authTime = options.previous?.auth_time ?? now;
  const claims: Omit<LocalSessionClaims, "iss" | "aud" | "iat" | "exp" | "sub"> = {
    email: user.email,
    role: "authenticated",
    auth_time: authTime,
    session_id: options.previous?.session_id ?? randomUUID(),
    aal: "aal1",
    amr: [{ method: "password", timestamp: authTime }],
    is_anonymous: false,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(SESSION_ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(Math.min(now + SESSION_TTL_SECONDS, authTime + SESSION_ABSOLUTE_SECONDS))
    .sign(signingKey(options.secret ?? getAppSecret()));
}

/**
 * The claims of a valid session token, or null when it is missing, garbled, tampered with,
 * signed with another key or expired. Never throws.
 */
export async function verifySessionToken(
  token: string | undefined | null,
  options: { secret?: string; now?: number } = {},
): Promise<LocalSessionClaims | null> {
  if (!token || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, signingKey(options.secret ?? getAppSecret()), {
      algorithms: ["HS256"],
      issuer: SESSION_ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
      currentDate: options.now === undefined ? undefined : new Date(options.now * 1000),
    });
    const p = payload as Partial<LocalSessionClaims>;
    if (
      typeof p.sub !== "string" ||
      !isUuid(p.sub) ||
      typeof p.email !== "string" ||
      p.role !== "authenticated" ||
      typeof p.iat !== "number" ||
      typeof p.exp !== "number" ||
      typeof p.auth_time !== "number" ||
      typeof p.session_id !== "string"
    ) {
      return null;
    }
    return p as LocalSessionClaims;
  } catch {
    return null;
  }
}

/** True once a session is past half its life, unless it would outlive the absolute limit. */
export function shouldReissue(claims: LocalSessionClaims, now = nowSeconds()): boolean {
  const pastHalfLife = now - claims.iat >= SESSION_TTL_SECONDS / 2;
  const withinAbsolute = now - claims.auth_time < SESSION_ABSOLUTE_SECONDS;
  return pastHalfLife && withinAbsolute;
}

/** The cookie's attributes; `maxAge` should be the token's remaining life. */
export function sessionCookieOptions(
  maxAge = SESSION_TTL_SECONDS,
  production = getConfig().production,
) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: production,
    path: "/",
    maxAge: Math.max(0, Math.floor(maxAge)),
  };
}

/** Seconds until the token expires (for the cookie's Max-Age). */
export function remainingSeconds(
  claims: Pick<LocalSessionClaims, "exp">,
  now = nowSeconds(),
): number {
  return Math.max(0, claims.exp - now);
}
