// Issue 9, findings 6 and 7, on the real PostgreSQL server, through the real sign-in server action
// (app/(auth)/actions.ts: the client address comes from the request's X-Forwarded-For through
// clientIpFrom, the throttle is counted in SQL), with the attempts sent at once:
// - the owner signs in while 40 wrong guesses at their email arrive from 20 addresses;
// - rotating the X-Forwarded-For entries in front of the proxy's own does not reset the
//   (email, address) limit;
// - junk X-Forwarded-For counts in one shared bucket, so it cannot switch the per-address limit off.

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { signInAction, signUpAction } from "@/app/(auth)/actions";
import { SESSION_COOKIE } from "@/lib/auth/local-session";
import { getSignedInUser } from "@/lib/auth/user-session";
import { type ServerApp, startServerApp } from "../support/hardening-app";
import { CookieJar, inRequest } from "../support/request-scope";
import { describeServer } from "../support/server";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

const PASSWORD = "Harbour-lantern-1987";
const byte = () => randomBytes(1)[0] ?? 0;
const spoofed = () => `${1 + (byte() % 223)}.${byte()}.${byte()}.${byte()}`;
let ipCounter = 0;
/** A fresh address (TEST-NET-2), so only the attempts a test means to count are counted. */
const freshIp = () => `198.51.${100 + Math.floor(++ipCounter / 250)}.${1 + (ipCounter % 250)}`;
let emailCounter = 0;
const newEmail = (tag: string) => `${tag}-${Date.now()}-${++emailCounter}@example.com`;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/** Runs an auth action as one request: "ok" when it signed in (redirected), else its code. */
async function act(
  action: typeof signInAction,
  jar: CookieJar,
  headers: Record<string, string>,
  email: string,
  password: string,
): Promise<string> {
  try {
    const state = await inRequest(jar, headers, () => action({}, form({ email, password })));
    return state.code ?? `no code: ${JSON.stringify(state)}`;
  } catch (error) {
    if (String((error as { digest?: unknown }).digest ?? "").startsWith("NEXT_REDIRECT;")) {
      return "ok";
    }
    throw error;
  }
}

const signIn = (jar: CookieJar, headers: Record<string, string>, email: string, password: string) =>
  act(signInAction, jar, headers, email, password);

async function signUp(email: string): Promise<void> {
  const jar = new CookieJar();
  expect(await act(signUpAction, jar, { "x-forwarded-for": freshIp() }, email, PASSWORD)).toBe(
    "ok",
  );
}

function tally(codes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

describeServer("sign-in throttle under attack, through the sign-in action (real server)", () => {
  let app: ServerApp;

  beforeAll(async () => {
    app = await startServerApp("attack", {}, 20);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("the owner signs in while 40 wrong guesses from 20 addresses arrive at once", async () => {
    const email = newEmail("owner");
    await signUp(email);
    const attackers = Array.from({ length: 20 }, freshIp);
    const guesses = attackers.flatMap((ip, a) =>
      [0, 1].map(
        (g) => () => signIn(new CookieJar(), { "x-forwarded-for": ip }, email, `Guess-${a}-${g}x`),
      ),
    );
    const owner = new CookieJar();
    const ownerIp = freshIp();
    const ownerSignsIn = () => signIn(owner, { "x-forwarded-for": ownerIp }, email, PASSWORD);
    // The owner's attempt goes out in the middle of the attack.
    const calls = [...guesses.slice(0, 20), ownerSignsIn, ...guesses.slice(20)];
    const codes = await Promise.all(calls.map((call) => call()));
    const ownerCode = codes[20];
    const attack = [...codes.slice(0, 20), ...codes.slice(21)];
    console.log(`owner: ${ownerCode}; 40 guesses: ${JSON.stringify(tally(attack))}`);
    expect(ownerCode).toBe("ok");
    expect(attack).toEqual(Array(40).fill("invalid_credentials"));
    expect(owner.has(SESSION_COOKIE)).toBe(true);
    expect((await inRequest(owner, {}, getSignedInUser))?.email).toBe(email);

    // And after the attack, from yet another address.
    expect(await signIn(new CookieJar(), { "x-forwarded-for": freshIp() }, email, PASSWORD)).toBe(
      "ok",
    );
    const [row] = await app.sql(
      `select count(*) filter (where not succeeded)::int as failures,
         count(distinct ip) filter (where not succeeded)::int as addresses
       from local_auth.sign_in_attempts where email = $1`,
      [email],
    );
    expect(row).toEqual({ failures: 40, addresses: 20 });
  });

  it("one address guessing at once gets exactly 5 checked; the owner elsewhere is not locked out", async () => {
    const email = newEmail("burst");
    await signUp(email);
    const ip = freshIp();
    const codes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signIn(new CookieJar(), { "x-forwarded-for": ip }, email, `Burst-${i}-guess`),
      ),
    );
    expect(tally(codes)).toEqual({ invalid_credentials: 5, too_many_attempts: 7 });
    expect(await signIn(new CookieJar(), { "x-forwarded-for": ip }, email, PASSWORD)).toBe(
      "too_many_attempts",
    );
    expect(await signIn(new CookieJar(), { "x-forwarded-for": freshIp() }, email, PASSWORD)).toBe(
      "ok",
    );
  });

  it("rotating X-Forwarded-For entries in front of the proxy's own do not reset the limit", async () => {
    const email = newEmail("rotating");
    await signUp(email);
    const proxyAppended = freshIp();
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const xff = `${spoofed()}, ${spoofed()}, ${proxyAppended}`;
      codes.push(await signIn(new CookieJar(), { "x-forwarded-for": xff }, email, `Rot-${i}-x`));
    }
    expect(codes).toEqual([
      ...Array(5).fill("invalid_credentials"),
      ...Array(3).fill("too_many_attempts"),
    ]);
    // Per address across emails too: 20 failures, then that address is refused for any account.
    const sprayed = await Promise.all(
      Array.from({ length: 18 }, (_, i) =>
        signIn(
          new CookieJar(),
          { "x-forwarded-for": `${spoofed()}, ${proxyAppended}` },
          newEmail(`spray${i}`),
          "Spray-pass-1",
        ),
      ),
    );
    // 5 of the address's 20 were spent above.
    expect(tally(sprayed)).toEqual({ invalid_credentials: 15, too_many_attempts: 3 });
  });

  it("junk X-Forwarded-For counts in one shared bucket: it cannot switch the limit off", async () => {
    const junk = ["junk", "", "203.0.113.9, junk", "999.1.1.1", "1.2.3.x", "<x>", "null", "::g"];
    const codes = await Promise.all(
      Array.from({ length: 26 }, (_, i) => {
        const value = junk[i % junk.length] ?? "";
        const headers: Record<string, string> = i % 9 === 8 ? {} : { "x-forwarded-for": value };
        return signIn(new CookieJar(), headers, newEmail(`junk${i}`), "Junk-pass-12");
      }),
    );
    console.log(`26 guesses with junk X-Forwarded-For: ${JSON.stringify(tally(codes))}`);
    expect(tally(codes)).toEqual({ invalid_credentials: 20, too_many_attempts: 6 });
    const [row] = await app.sql(
      "select count(*)::int as n, count(distinct ip)::int as buckets from local_auth.sign_in_attempts where ip = 'unknown'",
    );
    expect(row).toEqual({ n: 20, buckets: 1 });
  });
});
