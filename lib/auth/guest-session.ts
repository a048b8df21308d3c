// The guest session: 256 random bits in an httpOnly, SameSite=Lax cookie,
// signed with APP_SECRET so a forged or garbled value reads as "no session".

import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";
import { getAppSecret } from "./secret";

export const GUEST_COOKIE = "pc_guest";
export const GUEST_COOKIE_MAX_AGE = 60 * 60 * 24 * 30; // 30 days

const ID = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url

function sign(id: string, secret: string): string {
  return createHmac("sha256", secret).update(`guest:${id}`).digest("base64url");
}

export function newGuestSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export function encodeGuestCookie(id: string, secret = getAppSecret()): string {
  return `${id}.${sign(id, secret)}`;
}

/** The session id in a cookie value, or null when it is missing, garbled or not signed by us. */
export function decodeGuestCookie(
  value: string | undefined | null,
  secret = getAppSecret(),
): string | null {
  if (!value || value.length > 200) return null;
  const dot = value.indexOf(".");
  if (dot < 0) return null;
  const id = value.slice(0, dot);
  const mac = value.slice(dot + 1);
  if (!ID.test(id)) return null;
  const expected = Buffer.from(sign(id, secret));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return id;
}

export function guestCookieOptions(production = getConfig().production) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: production,
    path: "/",
    maxAge: GUEST_COOKIE_MAX_AGE,
  };
}
