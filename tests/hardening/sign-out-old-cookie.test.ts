// Issue 9, finding 5, on the real PostgreSQL server with two app instances (two pools on one
// database): after signing out, a copy of the old cookies (pc_session and pc_refresh, still
// unexpired) reads as signed out everywhere: to the page (getSignedInUser), to the API (the real
// route handlers), and to the proxy, which will not renew it. "Sign out everywhere" ends the
// sessions of the account's other browsers too. The sign-up, sign-out and sign-out-everywhere
// are the real server actions.

import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import {
  signInAction,
  signOutAction,
  signOutEverywhereAction,
  signUpAction,
} from "@/app/(auth)/actions";
import { REFRESH_COOKIE, SESSION_COOKIE } from "@/lib/auth/local-session";
import { refreshLocalSession } from "@/lib/auth/session-refresh";
import { getSignedInUser } from "@/lib/auth/user-session";
import { setDbForTests } from "@/lib/db";
import type { DbPort } from "@/lib/db/types";
import {
  createConversation,
  getConversation,
  listConversations,
  personaIds,
  postMessage,
  type ServerApp,
  startServerApp,
} from "../support/hardening-app";
import { CookieJar, inRequest } from "../support/request-scope";
import { describeServer, serverPort } from "../support/server";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

const PASSWORD = "Quiet-meadow-4071";
const freshIp = () => `192.0.2.${1 + ((randomBytes(1)[0] ?? 0) % 254)}`;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/** Runs a server action that ends in a redirect, as one request of the browser holding `jar`. */
async function redirects(jar: CookieJar, run: () => Promise<unknown>): Promise<void> {
  const error = await inRequest(jar, { "x-forwarded-for": freshIp() }, run).then(
    (state) => {
      throw new Error(`expected a redirect, got ${JSON.stringify(state)}`);
    },
    (e: unknown) => e as { digest?: string },
  );
  expect(String(error.digest ?? "")).toMatch(/^NEXT_REDIRECT;/);
}

const cookieHeader = (jar: CookieJar) =>
  jar
    .getAll()
    .map(({ name, value }) => `${name}=${value}`)
    .join("; ");

describeServer("sign-out, then the old cookie (real server, two instances)", () => {
  let app: ServerApp;
  let second: ReturnType<typeof serverPort>;
  let persona = "";

  beforeAll(async () => {
    app = await startServerApp("signout", {}, 5);
    second = serverPort(app.url, 5);
    persona = (await personaIds())[0] ?? "";
  });
  afterAll(async () => {
    await second?.port.close();
    await app?.close();
  });

  /** Runs `work` on instance "a" (the app's port) or "b" (a second pool on the same database). */
  async function on<T>(instance: "a" | "b", work: () => Promise<T>): Promise<T> {
    const restore = setDbForTests(instance === "a" ? app.port : (second.port as DbPort));
    try {
      return await work();
    } finally {
      restore();
    }
  }

  /** Everything a copy of signed-out cookies may still do: nothing a signed-in user could. */
  async function expectSignedOut(copy: CookieJar, conversationId: string) {
    for (const instance of ["a", "b"] as const) {
      await on(instance, async () => {
        expect(await inRequest(copy.copy(), {}, getSignedInUser)).toBeNull();
        expect((await listConversations(copy.copy())).conversations).toEqual([]);
        const read = await getConversation(copy.copy(), conversationId);
        expect([read.status, read.body.error?.code]).toEqual([404, "not_found"]);
        const post = await postMessage(copy.copy(), conversationId, "still me?", freshIp(), {
          json: true,
        });
        expect(post.status).toBe(404);
        // An expired access token with the old refresh token, inside an API call (which renews
        // sessions itself): still signed out, and no new session is issued.
        const refreshOnly = new CookieJar([
          [REFRESH_COOKIE, copy.get(REFRESH_COOKIE)?.value ?? ""],
        ]);
        expect((await listConversations(refreshOnly)).conversations).toEqual([]);
        expect(refreshOnly.has(SESSION_COOKIE)).toBe(false);
        // The proxy (root proxy.ts) will not renew it either: it clears both cookies.
        const expired = new CookieJar([[REFRESH_COOKIE, copy.get(REFRESH_COOKIE)?.value ?? ""]]);
        const response = await refreshLocalSession(
          new NextRequest("http://app.test/history", {
            headers: { cookie: cookieHeader(expired) },
          }),
        );
        const setCookies = response.headers.getSetCookie();
        for (const name of [SESSION_COOKIE, REFRESH_COOKIE]) {
          const line = setCookies.find((c) => c.startsWith(`${name}=`)) ?? "";
          expect(line, `${name} is cleared`).toMatch(new RegExp(`^${name}=;`));
        }
      });
    }
    const [row] = await app.sql(
      "select count(*)::int as n from public.messages where conversation_id = $1",
      [conversationId],
    );
    expect(row?.n).toBe(1);
  }

  it("after sign-out, a copy of the old cookies reads as signed out on every instance", async () => {
    const email = `signout-${Date.now()}@example.com`;
    const browser = new CookieJar();
    await on("a", () =>
      redirects(browser, () => signUpAction({}, form({ email, password: PASSWORD }))),
    );
    expect(browser.has(SESSION_COOKIE) && browser.has(REFRESH_COOKIE)).toBe(true);

    const conversationId = await on("a", async () => {
      const created = await createConversation(browser, persona, freshIp());
      expect(created.status).toBe(201);
      const { conversation } = (await created.json()) as { conversation: { id: string } };
      return conversation.id;
    });
    // Before sign-out the copy works, on either instance (this is what must stop).
    const copy = browser.copy();
    for (const instance of ["a", "b"] as const) {
      await on(instance, async () => {
        expect((await inRequest(copy.copy(), {}, getSignedInUser))?.email).toBe(email);
        expect((await getConversation(copy.copy(), conversationId)).status).toBe(200);
      });
    }
    await on("a", async () => {
      const posted = await postMessage(copy.copy(), conversationId, "hello", freshIp(), {
        json: true,
      });
      expect(posted.status).toBe(200);
    });
    const [answered] = await app.sql(
      "select count(*)::int as n from public.messages where conversation_id = $1",
      [conversationId],
    );
    expect(answered?.n).toBe(2);
    await app.sql("delete from public.messages where conversation_id = $1 and role = 'assistant'", [
      conversationId,
    ]);

    // Signing out on instance b clears the browser's cookies and ends the session for both.
    await on("b", () => redirects(browser, () => signOutAction()));
    expect(browser.has(SESSION_COOKIE) || browser.has(REFRESH_COOKIE)).toBe(false);
    await expectSignedOut(copy, conversationId);

    // Signing in again works, with a new session; the old copy stays signed out.
    const again = new CookieJar();
    await on("b", () =>
      redirects(again, () => signInAction({}, form({ email, password: PASSWORD }))),
    );
    expect((await on("a", () => getConversation(again, conversationId))).status).toBe(200);
    await expectSignedOut(copy, conversationId);
  });

  it("sign out everywhere ends the account's sessions in every other browser", async () => {
    const email = `everywhere-${Date.now()}@example.com`;
    const laptop = new CookieJar();
    const phone = new CookieJar();
    await on("a", () =>
      redirects(laptop, () => signUpAction({}, form({ email, password: PASSWORD }))),
    );
    await on("b", () =>
      redirects(phone, () => signInAction({}, form({ email, password: PASSWORD }))),
    );
    const conversationId = await on("b", async () => {
      const created = await createConversation(phone, persona, freshIp());
      const { conversation } = (await created.json()) as { conversation: { id: string } };
      const posted = await postMessage(phone, conversation.id, "from the phone", freshIp(), {
        json: true,
      });
      expect(posted.status).toBe(200);
      return conversation.id;
    });
    await app.sql("delete from public.messages where conversation_id = $1 and role = 'assistant'", [
      conversationId,
    ]);
    const phoneCopy = phone.copy();

    await on("a", () => redirects(laptop, () => signOutEverywhereAction()));
    expect(laptop.has(SESSION_COOKIE)).toBe(false);
    // The phone never signed out, and its cookies are unexpired: it is signed out all the same.
    await expectSignedOut(phoneCopy, conversationId);
    const [row] = await app.sql(
      `select count(*)::int as live from local_auth.sessions s join auth.users u on u.id = s.user_id
       where u.email = $1 and s.revoked_at is null`,
      [email],
    );
    expect(row?.live).toBe(0);
  });
});
