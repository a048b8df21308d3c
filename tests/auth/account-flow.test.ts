// Signing up, in and out through the server actions (built-in mode, PGlite), with next/headers
// replaced by an in-memory cookie jar: the session cookie, `?next=` handling, field errors, and
// the guest's conversations moving to the account (docs/architecture.md, section 5), twice being harmless.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DbPort } from "@/lib/db";
import { setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";

type Cookie = { value: string; options?: Record<string, unknown> };
const jar = vi.hoisted(() => {
  const values = new Map<string, Cookie>();
  return {
    values,
    get: (name: string) =>
      values.has(name) ? { name, value: values.get(name)?.value } : undefined,
    getAll: () => [...values].map(([name, c]) => ({ name, value: c.value })),
    set: (name: string, value: string, options?: Record<string, unknown>) => {
      values.set(name, { value, options });
    },
    delete: (name: string) => {
      values.delete(name);
    },
  };
});
const requestHeaders = vi.hoisted(() => new Headers({ "x-forwarded-for": "203.0.113.7" }));

vi.mock("next/headers", () => ({ cookies: async () => jar, headers: async () => requestHeaders }));

// Built-in mode whatever the calling shell has set (lib/config reads this on first use).
Object.assign(process.env, {
  APP_SECRET: "account-flow-tests-secret-0123456789abcdef",
  DATABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
  SUPABASE_SECRET_KEY: "",
  SUPABASE_SERVICE_ROLE_KEY: "",
});

const { signInAction, signOutAction, signUpAction } = await import("@/app/(auth)/actions");
const { adoptGuestConversations } = await import("@/lib/auth/account");
const { getActor } = await import("@/lib/auth/actor");
const { encodeGuestCookie, GUEST_COOKIE, newGuestSessionId } = await import(
  "@/lib/auth/guest-session"
);
const { REFRESH_COOKIE, SESSION_COOKIE } = await import("@/lib/auth/local-session");
const { getSignedInUser } = await import("@/lib/auth/user-session");
const service = await import("@/lib/chat/service");

let pglite: PGlite;
let port: DbPort;
const PASSWORD = "Lantern-orchard-9";
let counter = 0;
const newEmail = () => `flow-${Date.now()}-${++counter}@example.com`;

beforeAll(async () => {
  ({ db: pglite, port } = await freshPglitePort());
  setDbForTests(port);
});
afterAll(async () => {
  setDbForTests(undefined);
  await pglite.close();
});
beforeEach(() => jar.values.clear());

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/** Runs an action that should redirect; returns where to. */
async function redirectOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    (state) => {
      throw new Error(`expected a redirect, got ${JSON.stringify(state)}`);
    },
    (e: unknown) => e as { digest?: string },
  );
  const digest = String(error.digest ?? "");
  expect(digest.startsWith("NEXT_REDIRECT;")).toBe(true);
  return digest.split(";").slice(2, -2).join(";");
}

async function guestWithMessages(count: number) {
  const sessionId = newGuestSessionId();
  jar.set(GUEST_COOKIE, encodeGuestCookie(sessionId));
  const guest = { kind: "guest" as const, sessionId };
  const [persona] = await service.listPersonas();
  if (!persona) throw new Error("no personas");
  const conversation = await service.startConversation(guest, persona.id);
  for (let i = 0; i < count; i++) {
    const posted = await service.postUserMessage(guest, conversation.id, `guest message ${i + 1}`);
    // One reply at a time: this one fails (its lease released) before the next post.
    await service.setConversationStatus(guest, conversation.id, "error", posted.lease.id);
  }
  return { sessionId, conversation };
}

describe("sign-up from a guest session", () => {
  it("creates the account, signs in, moves the guest's conversations and returns to ?next=", async () => {
    const { sessionId, conversation } = await guestWithMessages(10);
    // At the cap as a guest.
    await expect(
      service.postUserMessage({ kind: "guest", sessionId }, conversation.id, "one more"),
    ).rejects.toMatchObject({ code: "guest_limit_reached" });

    const email = newEmail();
    const to = await redirectOf(
      signUpAction({}, form({ email, password: PASSWORD, next: `/c/${conversation.id}` })),
    );
    expect(to).toBe(`/c/${conversation.id}`);

    // Signed in with the built-in session cookies (a 10-minute access token and the refresh
    // token for the rest of the 30 days); the guest cookie is gone.
    const session = jar.values.get(SESSION_COOKIE);
    expect(session?.options).toMatchObject({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 600,
    });
    const refresh = jar.values.get(REFRESH_COOKIE);
    expect(refresh?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    expect(refresh?.options?.maxAge).toBeGreaterThan(60 * 60 * 24 * 29);
    expect(jar.values.has(GUEST_COOKIE)).toBe(false);
    const user = await getSignedInUser();
    expect(user?.email).toBe(email);
    const actor = await getActor();
    expect(actor).toMatchObject({ kind: "user", userId: user?.id });
    if (actor?.kind !== "user") throw new Error("expected a user");

    // The conversation is theirs now, and has no cap.
    const list = await service.listConversations(actor);
    expect(list.map((c) => c.id)).toEqual([conversation.id]);
    expect(list[0]?.isGuestSession).toBe(false);
    for (let i = 0; i < 12; i++) {
      const reply = await service.postUserMessage(
        actor,
        conversation.id,
        `member message ${i + 1}`,
      );
      expect(reply.allowance).toBeNull();
      await service.setConversationStatus(actor, conversation.id, "error", reply.lease.id);
    }

    // Claiming again (a double submit, a retry) moves nothing and breaks nothing.
    jar.set(GUEST_COOKIE, encodeGuestCookie(sessionId));
    expect(await adoptGuestConversations(actor.userId)).toBe(0);
    expect(await service.claimGuestConversations(sessionId, actor.userId)).toBe(0);
    expect((await service.listConversations(actor)).map((c) => c.id)).toEqual([conversation.id]);
  });

  it("answers field errors without creating anything", async () => {
    const weak = await signUpAction({}, form({ email: newEmail(), password: "password123" }));
    expect(weak).toMatchObject({
      code: "weak_password",
      fieldErrors: { password: expect.stringMatching(/common/) },
    });

    const badEmail = await signUpAction({}, form({ email: "not an email", password: PASSWORD }));
    expect(badEmail).toMatchObject({
      code: "invalid_input",
      fieldErrors: { email: expect.any(String) },
    });

    const email = newEmail();
    await redirectOf(signUpAction({}, form({ email, password: PASSWORD })));
    jar.values.clear();
    const taken = await signUpAction({}, form({ email: email.toUpperCase(), password: PASSWORD }));
    expect(taken).toMatchObject({
      code: "email_taken",
      fieldErrors: { email: expect.any(String) },
    });
    expect(taken.email).toBe(email.toUpperCase());
    expect(jar.values.has(SESSION_COOKIE)).toBe(false);
  });

  it("never redirects off the site", async () => {
    for (const next of [
      "//evil.example/x",
      "https://evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      jar.values.clear();
      expect(
        await redirectOf(signUpAction({}, form({ email: newEmail(), password: PASSWORD, next }))),
      ).toBe("/");
    }
  });
});

describe("sign-in and sign-out", () => {
  it("signs out, signs in again (claiming a new guest session's conversations) and resumes", async () => {
    const email = newEmail();
    await redirectOf(signUpAction({}, form({ email, password: PASSWORD })));
    const userId = (await getSignedInUser())?.id;

    expect(await redirectOf(signOutAction())).toBe("/");
    expect(jar.values.has(SESSION_COOKIE)).toBe(false);
    expect(await getSignedInUser()).toBeNull();

    // As a guest again, then signing in: this guest conversation joins the account too.
    const { conversation } = await guestWithMessages(2);
    const wrong = await signInAction({}, form({ email, password: "Not-the-password-1" }));
    expect(wrong).toMatchObject({
      code: "invalid_credentials",
      error: expect.stringMatching(/not correct/),
    });
    expect(jar.values.has(GUEST_COOKIE)).toBe(true);

    expect(
      await redirectOf(signInAction({}, form({ email, password: PASSWORD, next: "/history" }))),
    ).toBe("/history");
    expect((await getSignedInUser())?.id).toBe(userId);
    expect(jar.values.has(GUEST_COOKIE)).toBe(false);
    const actor = await getActor();
    if (actor?.kind !== "user") throw new Error("expected a user");
    expect((await service.listConversations(actor)).map((c) => c.id)).toContain(conversation.id);
  });

  it("slows down repeated wrong passwords for one email", async () => {
    const email = newEmail();
    await redirectOf(signUpAction({}, form({ email, password: PASSWORD })));
    jar.values.clear();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await signInAction({}, form({ email, password: `Wrong-${i}-pass` }))).code);
    }
    expect(codes).toEqual([...Array(5).fill("invalid_credentials"), "too_many_attempts"]);
    const blocked = await signInAction({}, form({ email, password: PASSWORD }));
    expect(blocked).toMatchObject({
      code: "too_many_attempts",
      error: expect.stringMatching(/Try again in/),
    });
    expect(jar.values.has(SESSION_COOKIE)).toBe(false);
  });
});
