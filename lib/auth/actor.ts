// Resolves the caller of a request (a signed-in user, a guest, or nobody yet) from its cookies.

import { cookies } from "next/headers";
import type { Actor } from "@/lib/chat/types";
import {
  decodeGuestCookie,
  encodeGuestCookie,
  GUEST_COOKIE,
  guestCookieOptions,
  newGuestSessionId,
} from "./guest-session";
import { getSignedInUser } from "./user-session";

/** The caller, or null for a visitor with no session (who can read nothing). */
export async function getActor(): Promise<Actor | null> {
  const user = await getSignedInUser();
  if (user) return { kind: "user", userId: user.id, email: user.email };
  const jar = await cookies();
  const sessionId = decodeGuestCookie(jar.get(GUEST_COOKIE)?.value);
  return sessionId ? { kind: "guest", sessionId } : null;
}

/**
 * The caller, creating a guest session (and its cookie) when there is none. Only for route
 * handlers and server actions, where cookies can be set.
 */
export async function getOrCreateActor(): Promise<Actor> {
  const actor = await getActor();
  if (actor) return actor;
  const sessionId = newGuestSessionId();
  const jar = await cookies();
  jar.set(GUEST_COOKIE, encodeGuestCookie(sessionId), guestCookieOptions());
  return { kind: "guest", sessionId };
}

/** The guest session id in the cookie, if any (used when signing in to claim its conversations). */
export async function getGuestSessionId(): Promise<string | null> {
  const jar = await cookies();
  return decodeGuestCookie(jar.get(GUEST_COOKIE)?.value);
}

export async function clearGuestCookie(): Promise<void> {
  const jar = await cookies();
  jar.delete(GUEST_COOKIE);
}
