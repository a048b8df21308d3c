// The built-in session's access token and passwords: only tokens we signed, unexpired, for a
// session that still runs, sign someone in; anything else reads as "signed out" without throwing.
// Hashes are Supabase Auth's bcrypt format.

import { SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  issueSessionToken,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  sessionCookieOptions,
  shouldReissue,
  verifySessionToken,
} from "@/lib/auth/local-session";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/auth/password";

const SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const OTHER_SECRET = "another-secret-0123456789-abcdefghijklmnopqrstuv";
const USER = { id: "6f1c2a52-3a43-4c1e-9d55-0a3f7e0b8c11", email: "ada@example.com" };
const NOW = 1_760_000_000; // a fixed instant (seconds), so expiry is deterministic
const SESSION = { id: "0b7f4c3e-5d2a-4e61-8f90-1a2b3c4d5e6f", authTime: NOW };

// The cookie jar getSignedInUser reads through next/headers.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => jar.set(name, value),
    delete: (name: string) => jar.delete(name),
  }),
  headers: async () => new Headers(),
}));

beforeAll(() => {
  process.env.APP_SECRET = SECRET;
});
afterEach(() => jar.clear());

// Changes the first character: it carries six whole bits of the first byte (the last one may
// only carry padding bits, so changing it can leave the decoded bytes as they were).
function flipFirstChar(segment: string): string {
  return (segment.startsWith("A") ? "Q" : "A") + segment.slice(1);
}

describe("session tokens", () => {
  it("carries Supabase-shaped claims", async () => {
    const token = await issueSessionToken(USER, SESSION, { secret: SECRET, now: NOW });
    const claims = await verifySessionToken(token, { secret: SECRET, now: NOW + 60 });
    expect(claims).toMatchObject({
      sub: USER.id,
      email: USER.email,
      role: "authenticated",
      aud: "authenticated",
      iat: NOW,
      exp: NOW + SESSION_TTL_SECONDS,
      aal: "aal1",
      is_anonymous: false,
      app_metadata: { provider: "email", providers: ["email"] },
    });
    expect(claims?.session_id).toMatch(/^[0-9a-f-]{36}$/);
    const [header] = token.split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
  });

  it("rejects a tampered token", async () => {
    const token = await issueSessionToken(USER, SESSION, { secret: SECRET, now: NOW });
    const [h, p, s] = token.split(".") as [string, string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p, "base64url").toString()),
        sub: "00000000-0000-4000-8000-000000000000",
      }),
    ).toString("base64url");
    for (const bad of [
      `${h}.${forgedPayload}.${s}`,
      `${h}.${p}.${flipFirstChar(s)}`,
      `${h}.${p}.`,
    ]) {
      await expect(verifySessionToken(bad, { secret: SECRET, now: NOW })).resolves.toBeNull();
    }
  });

  it("rejects a token signed with another key or algorithm", async () => {
    const other = await issueSessionToken(USER, SESSION, { secret: OTHER_SECRET, now: NOW });
    await expect(verifySessionToken(other, { secret: SECRET, now: NOW })).resolves.toBeNull();

    // The raw APP_SECRET as the key (the session key is derived from it, so this must fail).
    const rawKey = await new SignJWT({ email: USER.email, role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER.id)
      .setIssuer("persona-chat")
      .setAudience("authenticated")
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 3600)
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifySessionToken(rawKey, { secret: SECRET, now: NOW })).resolves.toBeNull();

    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({
        sub: USER.id,
        email: USER.email,
        role: "authenticated",
        aud: "authenticated",
        iat: NOW,
        exp: NOW + 3600,
      }),
    ).toString("base64url")}.`;
    await expect(verifySessionToken(none, { secret: SECRET, now: NOW })).resolves.toBeNull();
  });

  it("rejects an expired token, and garbage, without throwing", async () => {
    const token = await issueSessionToken(USER, SESSION, { secret: SECRET, now: NOW });
    await expect(
      verifySessionToken(token, { secret: SECRET, now: NOW + SESSION_TTL_SECONDS + 1 }),
    ).resolves.toBeNull();
    for (const junk of ["", "abc", "a.b.c", "...", "x".repeat(10_000), null, undefined]) {
      await expect(verifySessionToken(junk, { secret: SECRET, now: NOW })).resolves.toBeNull();
    }
  });

  it("is renewed past half-life, and never outlives its session's absolute end", async () => {
    const token = await issueSessionToken(USER, SESSION, { secret: SECRET, now: NOW });
    const claims = await verifySessionToken(token, { secret: SECRET, now: NOW });
    if (!claims) throw new Error("token should verify");
    expect(claims.session_id).toBe(SESSION.id);
    expect(claims.auth_time).toBe(NOW);
    expect(shouldReissue(claims, NOW + SESSION_TTL_SECONDS / 2 - 1)).toBe(false);
    expect(shouldReissue(claims, NOW + SESSION_TTL_SECONDS / 2)).toBe(true);

    // Near the absolute end the token ends with the session.
    const nearEnd = NOW + SESSION_ABSOLUTE_SECONDS - 60;
    const last = await issueSessionToken(USER, SESSION, { secret: SECRET, now: nearEnd });
    const lastClaims = await verifySessionToken(last, { secret: SECRET, now: nearEnd });
    expect(lastClaims?.exp).toBe(NOW + SESSION_ABSOLUTE_SECONDS);
  });

  it("sets the cookie httpOnly, SameSite=Lax, Secure in production", () => {
    expect(sessionCookieOptions(SESSION_TTL_SECONDS, true)).toEqual({
      httpOnly: true,
      sameSite: "lax",
      secure: true,
      path: "/",
      maxAge: SESSION_TTL_SECONDS,
    });
    expect(sessionCookieOptions(SESSION_TTL_SECONDS, false).secure).toBe(false);
  });
});

describe("getSignedInUser (built-in session)", () => {
  it("reads the user of a live session, and treats a bad cookie or an ended session as signed out", async () => {
    const { freshPglitePort } = await import("../support/pglite");
    const { useDatabase } = await import("../support/database");
    const { localRevoke, localSignUp } = await import("@/lib/auth/local-auth");
    const { getSignedInUser } = await import("@/lib/auth/user-session");
    const { db, port } = await freshPglitePort();
    const restore = useDatabase(port);
    try {
      expect(await getSignedInUser()).toBeNull();
      const { user, session } = await localSignUp(
        port,
        { email: "ada.session@example.com", password: "Tr1cky-passphrase", ip: "10.0.0.1" },
        { maxPerIp: 10, windowSeconds: 60 },
      );
      const token = await issueSessionToken(user, session);
      jar.set(SESSION_COOKIE, token);
      expect(await getSignedInUser()).toEqual(user);

      jar.set(SESSION_COOKIE, `${token}x`);
      await expect(getSignedInUser()).resolves.toBeNull();
      jar.set(SESSION_COOKIE, await issueSessionToken(user, session, { secret: OTHER_SECRET }));
      await expect(getSignedInUser()).resolves.toBeNull();
      jar.set(
        SESSION_COOKIE,
        await issueSessionToken(user, session, { now: NOW - SESSION_TTL_SECONDS * 10 }),
      );
      await expect(getSignedInUser()).resolves.toBeNull();
      // A token for a session that does not exist, though signed with the right key.
      jar.set(SESSION_COOKIE, await issueSessionToken(user, SESSION));
      await expect(getSignedInUser()).resolves.toBeNull();

      // Signed out elsewhere: the same, still unexpired, token no longer signs anyone in.
      jar.set(SESSION_COOKIE, token);
      await localRevoke(port, { sessionId: session.id, refreshToken: null });
      await expect(getSignedInUser()).resolves.toBeNull();
    } finally {
      restore();
      await db.close();
    }
  });
});

describe("passwords", () => {
  it("hashes in Supabase Auth's format and verifies", async () => {
    const hash = await hashPassword("Tr1cky-passphrase");
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(await verifyPassword("Tr1cky-passphrase", hash)).toBe(true);
    expect(await verifyPassword("tr1cky-passphrase", hash)).toBe(false);
  });

  it("verifies $2a$10$ hashes made by another bcrypt (PostgreSQL pgcrypto, as Supabase's SQL uses)", async () => {
    // Made with: select crypt('correct horse battery staple', gen_salt('bf', 10)) (pgcrypto 1.3).
    const fromPgcrypto = "$2a$10$Tf46QDNLwxbUsxa5bTAkz.W/x1wESJGFCnJSu5g/uDTTCxJwLE3jS";
    expect(await verifyPassword("correct horse battery staple", fromPgcrypto)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", fromPgcrypto)).toBe(false);
    // The OpenBSD/Openwall test vector, cost 5.
    expect(
      await verifyPassword("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
    ).toBe(true);
  });

  it("treats a missing or malformed hash as a mismatch", async () => {
    for (const hash of [null, "", "plain", "$2a$10$short", "$argon2id$v=19$m=65536,t=3,p=4$x$y"]) {
      expect(await verifyPassword("whatever1", hash)).toBe(false);
    }
  });

  it("enforces the minimum strength", () => {
    expect(passwordProblem("Ab1!", "a@b.co")).toMatch(/at least 8/);
    expect(passwordProblem("abcdefghij", "a@b.co")).toMatch(/two kinds/);
    expect(passwordProblem("1234567890", "a@b.co")).toMatch(/two kinds/);
    expect(passwordProblem("ABCDEFGHIJ", "a@b.co")).toMatch(/two kinds/);
    expect(passwordProblem("Password123", "a@b.co")).toMatch(/common/);
    expect(passwordProblem("qwerty123", "a@b.co")).toMatch(/common/);
    expect(passwordProblem("ada.l@example.com", "Ada.L@example.com")).toMatch(/email/);
    expect(passwordProblem("ada.lovelace1", "ada.lovelace1@example.com")).toMatch(/email/);
    // 40 characters but 80 bytes: the limit is explained in bytes, because it is in bytes.
    expect(passwordProblem("é".repeat(40), "a@b.co")).toMatch(/at most 72 bytes/);
    expect(passwordProblem("correct horse 7", "a@b.co")).toBeNull();
    expect(passwordProblem("Tr1cky-passphrase", "ada@example.com")).toBeNull();
  });

  it("refuses passwords that pass the character rules but are easy to guess", () => {
    for (const weak of ["aaaaaaa1", "password!", "qwertyuiop1", "abcdefg1", "12345678a"]) {
      expect(passwordProblem(weak, "ada.lovelace@example.com"), weak).toMatch(/too easy to guess/);
    }
  });

  it("never signs in with a password longer than 72 bytes, whose tail bcrypt would ignore", async () => {
    const exactly72 = `Long-passphrase-${"x".repeat(56)}`;
    expect(Buffer.byteLength(exactly72)).toBe(72);
    const hash = await hashPassword(exactly72);
    expect(await verifyPassword(exactly72, hash)).toBe(true);
    expect(await verifyPassword(`${exactly72}anything`, hash)).toBe(false);
  });
});
