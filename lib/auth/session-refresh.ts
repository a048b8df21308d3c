// The built-in session's upkeep on each request (called from root proxy.ts): once the 10-minute
// access token is past half its life, or gone, the refresh token buys a new one (and is rotated),
// for this request and for the browser. A refresh token that no longer works (signed out,
// expired) clears both cookies: the visitor is signed out.

import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import { getDb } from "@/lib/db";
import { type LocalSignedIn, localRefresh } from "./local-auth";
import {
  issueSessionToken,
  REFRESH_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  sessionCookieOptions,
  shouldReissue,
  verifySessionToken,
} from "./local-session";

type SessionCookie = { name: string; value: string; maxAge: number };

/** The cookies that carry a session: a new access token, and the refresh token when rotated. */
export async function sessionCookies(
  signedIn: Omit<LocalSignedIn, "refreshToken"> & { refreshToken: string | null },
): Promise<SessionCookie[]> {
  const { user, session, refreshToken } = signedIn;
  const access = await issueSessionToken(user, { id: session.id, authTime: session.authTime });
  const remaining = session.expiresAt - Math.floor(Date.now() / 1000);
  const cookies = [{ name: SESSION_COOKIE, value: access, maxAge: SESSION_TTL_SECONDS }];
  if (refreshToken) cookies.push({ name: REFRESH_COOKIE, value: refreshToken, maxAge: remaining });
  return cookies;
}

/**
 * Page loads and API calls are renewed here. A server action's POST is not: the sign-in and
 * sign-out actions set these very cookies, and two Set-Cookie headers for one name would race
 * (an action renews an expired token itself, see local-port.ts).
 */
function renewsHere(request: NextRequest): boolean {
  if (request.headers.has("next-action")) return false;
  return (
    request.method === "GET" ||
    request.method === "HEAD" ||
    request.nextUrl.pathname.startsWith("/api/")
  );
}

export async function refreshLocalSession(request: NextRequest): Promise<NextResponse> {
  if (!renewsHere(request)) return NextResponse.next();
  const access = request.cookies.get(SESSION_COOKIE)?.value;
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  const claims = await verifySessionToken(access);
  if (claims && !shouldReissue(claims)) return NextResponse.next();

  if (!refreshToken) {
    if (!access) return NextResponse.next();
    // Tampered, expired or signed with an old secret, and nothing to renew it with.
    return withCookies(request, [], [SESSION_COOKIE]);
  }
  const refreshed = await localRefresh(await getDb(), refreshToken);
  if (!refreshed) return withCookies(request, [], [SESSION_COOKIE, REFRESH_COOKIE]);
  return withCookies(request, await sessionCookies(refreshed), []);
}

/** Sets and deletes cookies for this request's render and for the browser. */
function withCookies(request: NextRequest, set: SessionCookie[], remove: string[]): NextResponse {
  for (const { name, value } of set) request.cookies.set(name, value);
  for (const name of remove) request.cookies.delete(name);
  const response = NextResponse.next({ request });
  for (const { name, value, maxAge } of set) {
    response.cookies.set(name, value, sessionCookieOptions(maxAge));
  }
  for (const name of remove) response.cookies.delete(name);
  // Not no-store: Chromium reports a streamed answer with no-store as failed (net::ERR_ABORTED).
  response.headers.set("Cache-Control", "private, no-cache");
  return response;
}
