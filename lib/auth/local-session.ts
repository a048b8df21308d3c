// The built-in session's access token (embedded and postgres modes): an httpOnly cookie holding
// an HS256 JWT with Supabase-shaped claims, signed with a key derived from APP_SECRET. It lives
// 10 minutes; the refresh token beside it (pc_refresh, see local-auth.ts) gets a new one, so an
// active visitor stays signed in until the session's absolute end (30 days after the password).
// The token names its session (session_id): each request also checks the session is still live,
// so signing out ends it everywhere the cookie was copied to.

import "server-only";
import { createHmac } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { getConfig } from "@/lib/config";
import { isUuid } from "@/lib/ids";
import { SESSION_ABSOLUTE_SECONDS } from "./local-auth";
import { getAppSecret } from "./secret";

export const SESSION_COOKIE = "pc_session";
export const REFRESH_COOKIE = "pc_refresh";
/** Seconds an access token lives. */
export const SESSION_TTL_SECONDS = 10 * 60;
export { SESSION_ABSOLUTE_SECONDS };
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

/** Signs an access token for the user's session (its id and when the password was entered). */
export async function issueSessionToken(
  user: SessionUser,
  session: { id: string; authTime: number },
  options: { secret?: string; now?: number } = {},
): Promise<string> {
  const now = options.now ?? nowSeconds();
  const authTime = session.authTime;
  const claims: Omit<LocalSessionClaims, "iss" | "aud" | "iat" | "exp" | "sub"> = {
    email: user.email,
    role: "authenticated",
    auth_time: authTime,
    session_id: session.id,
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
      !isUuid(p.session_id)
    ) {
      return null;
    }
    return p as LocalSessionClaims;
  } catch {
    return null;
  }
}

/** True once an access token is past half its life: time to get a new one. */
export function shouldReissue(claims: LocalSessionClaims, now = nowSeconds()): boolean {
  return now - claims.iat >= SESSION_TTL_SECONDS / 2;
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
