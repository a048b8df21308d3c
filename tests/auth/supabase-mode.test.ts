// Supabase mode's sign-in plumbing, driven through the REAL @supabase/ssr createServerClient
// (lib/supabase/server.ts, lib/supabase/proxy.ts) and supabase-js, against a local STAND-IN for
// Supabase Auth's HTTP endpoints (tests/auth/support/supabase-auth-stand-in.ts), with an
// in-memory cookie jar behind getAll/setAll: the cookies the library writes on sign-in, the
// refresh of an expired access token, sign-out, the identity read through getClaims, and the
// account flows of Supabase's SSR guide: an email confirmation completed from its token hash
// (verifyOtp, as /auth/confirm does), and "forgot password" (resetPasswordForEmail, the recovery
// link, then updateUser with the new password).

import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EXPIRED_LINK_MESSAGE,
  supabaseIdentity,
  supabaseRequestPasswordReset,
  supabaseSignIn,
  supabaseSignOut,
  supabaseSignUp,
  supabaseUpdatePassword,
  supabaseVerifyEmailLink,
} from "@/lib/auth/supabase-auth";
import { AppError } from "@/lib/errors";
import { updateSession } from "@/lib/supabase/proxy";
import { createSupabaseServerClient, type SupabasePublicSettings } from "@/lib/supabase/server";
import { type StandIn, startSupabaseAuthStandIn } from "./support/supabase-auth-stand-in";

const COOKIE = "sb-localhost-auth-token"; // sb-<project ref>-auth-token; the ref is the host's first label
const PASSWORD = "Quiet-meadow-31";

/** A browser's cookie store as the server sees it: what getAll returns, what setAll changes. */
class CookieJar {
  values = new Map<string, string>();
  writes: { name: string; value: string; options: Record<string, unknown> }[] = [];
  methods = {
    getAll: () => [...this.values].map(([name, value]) => ({ name, value })),
    setAll: (cookies: { name: string; value: string; options: Record<string, unknown> }[]) => {
      for (const c of cookies) {
        this.writes.push(c);
        if (c.value === "" || c.options.maxAge === 0) this.values.delete(c.name);
        else this.values.set(c.name, c.value);
      }
    },
  };
  authCookies() {
    return [...this.values.keys()].filter(
      (n) => n.startsWith(COOKIE) && !n.endsWith("-code-verifier"),
    );
  }
  /** The session the library stored, decoded from its (possibly chunked) base64url cookies. */
  session(): {
    access_token: string;
    refresh_token: string;
    expires_at: number;
    user: { id: string };
  } {
    const names = this.authCookies().sort();
    const raw = names.map((n) => this.values.get(n) ?? "").join("");
    expect(raw.startsWith("base64-")).toBe(true);
    return JSON.parse(Buffer.from(raw.slice("base64-".length), "base64url").toString("utf8"));
  }
  header(): string {
    return [...this.values].map(([n, v]) => `${n}=${v}`).join("; ");
  }
}

let standIn: StandIn;
let settings: SupabasePublicSettings;
let jar: CookieJar;

/** A fresh server client per "request", as the library requires. */
const client = () => createSupabaseServerClient(settings, jar.methods);

beforeAll(async () => {
  standIn = await startSupabaseAuthStandIn();
  settings = { url: standIn.url, publishableKey: standIn.publishableKey };
});
afterAll(async () => {
  await standIn?.close();
});
beforeEach(() => {
  jar = new CookieJar();
  standIn.setAccessTokenTtl(3600);
  standIn.setEmailConfirmation(false);
});

/** The newest email the stand-in "sent" to this address. */
function lastMailTo(email: string) {
  const mail = standIn.mailbox.findLast((m) => m.to === email.toLowerCase());
  if (!mail) throw new Error(`no email to ${email}`);
  return mail;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

let counter = 0;
const newEmail = () => `supa-${Date.now()}-${++counter}@example.com`;

describe("Supabase mode", () => {
  it("signs up and in, setting the sb-<ref>-auth-token cookie(s) the library reads back", async () => {
    const email = newEmail();
    const created = await supabaseSignUp(client(), { email, password: PASSWORD });
    expect(created).toMatchObject({ email, signedIn: true });
    expect(jar.authCookies().length).toBeGreaterThan(0);

    jar = new CookieJar();
    const account = await supabaseSignIn(client(), { email, password: PASSWORD });
    expect(account).toEqual({ id: created.id, email });
    // One cookie, or `.0`, `.1`, ... chunks when the session is long; httpOnly is not set by the
    // library (the browser client reads them), SameSite=Lax and path / are.
    expect(
      jar.authCookies().every((n) => n === COOKIE || /^sb-localhost-auth-token\.\d+$/.test(n)),
    ).toBe(true);
    const write = jar.writes.find((w) => w.name.startsWith(COOKIE));
    expect(write?.options).toMatchObject({ path: "/", sameSite: "lax" });
    const stored = jar.session();
    expect(stored.user.id).toBe(created.id);

    // A later request with those cookies knows the user, verified through getClaims.
    standIn.calls.length = 0;
    await expect(supabaseIdentity(client())).resolves.toEqual({ id: created.id, email });
    // HS256 tokens cannot be checked locally, so getClaims asks Auth's /user endpoint.
    expect(standIn.calls).toEqual(["GET /auth/v1/user"]);
  });

  it("maps Supabase Auth's errors to the app's", async () => {
    const email = newEmail();
    await supabaseSignUp(client(), { email, password: PASSWORD });
    const taken = await supabaseSignUp(client(), { email, password: PASSWORD }).catch(
      (e: unknown) => e,
    );
    expect((taken as AppError).code).toBe("email_taken");
    // Too weak for the app's own policy: refused before Supabase is asked.
    standIn.calls.length = 0;
    const weak = await supabaseSignUp(client(), { email: newEmail(), password: "abcdefgh" }).catch(
      (e: unknown) => e,
    );
    expect((weak as AppError).code).toBe("weak_password");
    expect(standIn.calls).toEqual([]);
    // Fine for the app, too weak for the project's policy: Supabase's answer, as a field error.
    const weakThere = await supabaseSignUp(client(), {
      email: newEmail(),
      password: "lower-case-only-1",
    }).catch((e: unknown) => e);
    expect(weakThere).toBeInstanceOf(AppError);
    expect(weakThere).toMatchObject({
      code: "weak_password",
      status: 400,
      details: { fields: { password: "Password should contain an upper-case letter." } },
    });
    jar = new CookieJar();
    const wrong = await supabaseSignIn(client(), { email, password: "Wrong-password-1" }).catch(
      (e: unknown) => e,
    );
    expect((wrong as AppError).code).toBe("invalid_credentials");
    expect(jar.authCookies()).toEqual([]);
  });

  it("refreshes an expired access token through the refresh endpoint and updates the cookies", async () => {
    const email = newEmail();
    standIn.setAccessTokenTtl(1);
    const { id } = await supabaseSignUp(client(), { email, password: PASSWORD });
    const before = jar.session();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // now truly expired
    standIn.setAccessTokenTtl(3600);

    standIn.calls.length = 0;
    await expect(supabaseIdentity(client())).resolves.toEqual({ id, email });
    expect(standIn.calls).toEqual([
      "POST /auth/v1/token?grant_type=refresh_token",
      "GET /auth/v1/user",
    ]);
    const after = jar.session();
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 3000);

    // The next request uses the refreshed session without refreshing again.
    standIn.calls.length = 0;
    await expect(supabaseIdentity(client())).resolves.toEqual({ id, email });
    expect(standIn.calls).toEqual(["GET /auth/v1/user"]);
  });

  it("refreshes in root proxy.ts's updateSession, for the page and for the browser", async () => {
    const email = newEmail();
    standIn.setAccessTokenTtl(1);
    await supabaseSignUp(client(), { email, password: PASSWORD });
    const before = jar.session();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    standIn.setAccessTokenTtl(3600);

    const request = new NextRequest("http://app.local/c/123", {
      headers: { cookie: jar.header() },
    });
    const response = await updateSession(request, settings);
    const set = response.cookies.getAll().filter((c) => c.name.startsWith(COOKIE));
    expect(set.length).toBeGreaterThan(0);
    // The refreshed cookies reach the browser, and the rest of this request sees them too.
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    const forwarded = response.headers.get("x-middleware-request-cookie") ?? "";
    expect(forwarded).toContain(COOKIE);
    for (const c of set) jar.values.set(c.name, c.value);
    expect(jar.session().access_token).not.toBe(before.access_token);
  });

  it("signs out: the session ends at Auth and the cookies are cleared", async () => {
    const email = newEmail();
    await supabaseSignUp(client(), { email, password: PASSWORD });
    const tokens = jar.session();
    standIn.calls.length = 0;
    await supabaseSignOut(client(), "local");
    expect(standIn.calls).toEqual(["POST /auth/v1/logout?scope=local"]);
    expect(jar.authCookies()).toEqual([]);
    await expect(supabaseIdentity(client())).resolves.toBeNull();

    // The old access token no longer identifies anyone either.
    jar.values.set(COOKIE, `base64-${Buffer.from(JSON.stringify(tokens)).toString("base64url")}`);
    await expect(supabaseIdentity(client())).resolves.toBeNull();
  });

  it("signs out everywhere: every session of the user ends at Auth", async () => {
    const email = newEmail();
    await supabaseSignUp(client(), { email, password: PASSWORD });
    const laptop = jar;
    jar = new CookieJar();
    await supabaseSignIn(client(), { email, password: PASSWORD });
    const phone = jar;
    await expect(supabaseIdentity(client())).resolves.toMatchObject({ email });
    standIn.calls.length = 0;
    await supabaseSignOut(client(), "global");
    expect(standIn.calls).toEqual(["POST /auth/v1/logout?scope=global"]);
    // The other device's session ended too: its refresh token no longer works.
    jar = laptop;
    const stale = jar.session();
    jar.values.set(
      COOKIE,
      `base64-${Buffer.from(JSON.stringify({ ...stale, expires_at: 1 })).toString("base64url")}`,
    );
    await expect(supabaseIdentity(client())).resolves.toBeNull();
    jar = phone;
  });

  it("treats a tampered session cookie as signed out", async () => {
    const email = newEmail();
    await supabaseSignUp(client(), { email, password: PASSWORD });
    const tokens = jar.session();
    const [h, p] = tokens.access_token.split(".");
    const forged = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    forged.sub = "00000000-0000-4000-8000-000000000000";
    const tampered = {
      ...tokens,
      access_token: `${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.x`,
    };
    jar = new CookieJar();
    jar.values.set(COOKIE, `base64-${Buffer.from(JSON.stringify(tampered)).toString("base64url")}`);
    await expect(supabaseIdentity(client())).resolves.toBeNull();
    jar.values.set(COOKIE, "garbage");
    await expect(supabaseIdentity(client())).resolves.toBeNull();
  });

  it("confirms a sign-up from the email link's token hash, which signs the visitor in once", async () => {
    standIn.setEmailConfirmation(true);
    const email = newEmail();
    const created = await supabaseSignUp(client(), { email, password: PASSWORD });
    expect(created).toMatchObject({ email, signedIn: false });
    expect(jar.authCookies()).toEqual([]);
    // Before the link is opened, the password alone does not sign in.
    const early = await errorOf(supabaseSignIn(client(), { email, password: PASSWORD }));
    expect(early).toMatchObject({ code: "invalid_credentials" });
    expect(early.message).toContain("Confirm your email address first");

    const mail = lastMailTo(email);
    expect(mail.type).toBe("signup");
    standIn.calls.length = 0;
    const account = await supabaseVerifyEmailLink(client(), {
      tokenHash: mail.tokenHash,
      type: "signup",
    });
    expect(account).toEqual({ id: created.id, email });
    expect(standIn.calls).toEqual(["POST /auth/v1/verify"]);
    // The session is in the cookies, and the next request knows the user.
    expect(jar.session().user.id).toBe(created.id);
    await expect(supabaseIdentity(client())).resolves.toEqual({ id: created.id, email });

    // A link works once; a used or expired one is answered with the app's sentence.
    jar = new CookieJar();
    const reused = await errorOf(
      supabaseVerifyEmailLink(client(), { tokenHash: mail.tokenHash, type: "signup" }),
    );
    expect(reused).toMatchObject({ code: "invalid_credentials", message: EXPIRED_LINK_MESSAGE });
    expect(jar.authCookies()).toEqual([]);
    // Confirmed now: the password signs in.
    await expect(supabaseSignIn(client(), { email, password: PASSWORD })).resolves.toEqual({
      id: created.id,
      email,
    });
  });

  it("refuses an expired confirmation link and a link of another type", async () => {
    standIn.setEmailConfirmation(true);
    const email = newEmail();
    await supabaseSignUp(client(), { email, password: PASSWORD });
    const mail = lastMailTo(email);
    const wrongType = await errorOf(
      supabaseVerifyEmailLink(client(), { tokenHash: mail.tokenHash, type: "recovery" }),
    );
    expect(wrongType.message).toBe(EXPIRED_LINK_MESSAGE);
    standIn.expireEmailLinks();
    const expired = await errorOf(
      supabaseVerifyEmailLink(client(), { tokenHash: mail.tokenHash, type: "signup" }),
    );
    expect(expired).toMatchObject({ code: "invalid_credentials", status: 401 });
    await expect(supabaseIdentity(client())).resolves.toBeNull();
  });

  it("resets a forgotten password: the recovery email, its link, then the new password", async () => {
    const email = newEmail();
    const { id } = await supabaseSignUp(client(), { email, password: PASSWORD });
    await supabaseSignOut(client(), "local");

    jar = new CookieJar();
    const target = "http://app.local/auth/confirm?next=/reset-password";
    standIn.calls.length = 0;
    await supabaseRequestPasswordReset(client(), email, target);
    expect(standIn.calls).toEqual([
      `POST /auth/v1/recover?redirect_to=${encodeURIComponent(target)}`,
    ]);
    const mail = lastMailTo(email);
    expect(mail).toMatchObject({ type: "recovery", redirectTo: target });
    // An address without an account gets the same answer, and no email.
    const sent = standIn.mailbox.length;
    await expect(
      supabaseRequestPasswordReset(client(), "nobody-here@example.com", target),
    ).resolves.toBeUndefined();
    expect(standIn.mailbox.length).toBe(sent);

    // Without the link's session there is nobody to set a password for.
    const noSession = await errorOf(supabaseUpdatePassword(client(), "Brand-new-pass-93"));
    expect(noSession).toMatchObject({ code: "unauthorized", message: EXPIRED_LINK_MESSAGE });

    // /auth/confirm: the recovery link signs the visitor in...
    await expect(
      supabaseVerifyEmailLink(client(), { tokenHash: mail.tokenHash, type: "recovery" }),
    ).resolves.toEqual({ id, email });
    // ...and /reset-password sets the new one: the app's policy first, then Supabase's.
    standIn.calls.length = 0;
    const weak = await errorOf(supabaseUpdatePassword(client(), "password1"));
    expect(weak.code).toBe("weak_password");
    expect(standIn.calls).not.toContain("PUT /auth/v1/user");
    const same = await errorOf(supabaseUpdatePassword(client(), PASSWORD));
    expect(same).toMatchObject({
      code: "weak_password",
      details: { fields: { password: "Choose a password different from your old one." } },
    });
    await supabaseUpdatePassword(client(), "Brand-new-pass-93");
    expect(standIn.calls.filter((c) => c === "PUT /auth/v1/user")).toHaveLength(2);
    await expect(supabaseIdentity(client())).resolves.toEqual({ id, email });

    // The old password no longer signs in; the new one does.
    jar = new CookieJar();
    const old = await errorOf(supabaseSignIn(client(), { email, password: PASSWORD }));
    expect(old.code).toBe("invalid_credentials");
    await expect(
      supabaseSignIn(client(), { email, password: "Brand-new-pass-93" }),
    ).resolves.toEqual({ id, email });
  });
});
