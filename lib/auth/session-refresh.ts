// The built-in session's upkeep on each request (called from root proxy.ts): re-issues a token
// that is past half its life, and drops a cookie that no longer verifies, so the session of an
// active visitor never runs out while an idle one ends after 7 days.

import { type NextRequest, NextResponse } from "next/server";
import {
  issueSessionToken,
  remainingSeconds,
  SESSION_COOKIE,
  sessionCookieOptions,
  shouldReissue,
  verifySessionToken,
} from "./local-session";

export async function refreshLocalSession(request: NextRequest): Promise<NextResponse> {
  // Only on reads: a POST may be the sign-in or sign-out action setting this very cookie, and two
  // Set-Cookie headers for one name in one response would race.
  if (request.method !== "GET" && request.method !== "HEAD") return NextResponse.next();
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return NextResponse.next();

  const claims = await verifySessionToken(token);
  if (!claims) {
    // Tampered, expired or signed with an old secret: the visitor is signed out.
    request.cookies.delete(SESSION_COOKIE);
    const response = NextResponse.next({ request });
    response.cookies.delete(SESSION_COOKIE);
    return response;
  }
  if (!shouldReissue(claims)) return NextResponse.next();

  const fresh = await issueSessionToken(
    { id: claims.sub, email: claims.email },
    { previous: claims },
  );
  const freshClaims = await verifySessionToken(fresh);
  // This request's render reads the new token too.
  request.cookies.set(SESSION_COOKIE, fresh);
  const response = NextResponse.next({ request });
  response.cookies.set(
    SESSION_COOKIE,
    fresh,
    sessionCookieOptions(freshClaims ? remainingSeconds(freshClaims) : undefined),
  );
  response.headers.set("Cache-Control", "private, no-store");
  return response;
}
