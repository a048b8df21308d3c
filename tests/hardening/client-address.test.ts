// Issue 9, findings 2 and 7, over HTTP on the real PostgreSQL server: the per-address guest limits
// as a request reaches them (the real route handlers read the address with clientIpFrom from
// CLIENT_IP_HEADER, and the SQL functions count it), with the requests sent at once, each on its
// own connection.
// - 25 new guests from one address: exactly 20 start (GUEST_SESSIONS_PER_IP_PER_HOUR).
// - Rotating X-Forwarded-For entries in front of the one the proxy appended changes nothing.
// - Junk X-Forwarded-For (unparseable, missing, junk appended) all counts in one shared bucket:
//   it never switches a limit off.
// - The same for guest messages per address per day.

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import {
  createConversation,
  personaIds,
  postMessage,
  type ServerApp,
  startServerApp,
} from "../support/hardening-app";
import { CookieJar, codeOfResponse } from "../support/request-scope";
import { describeServer } from "../support/server";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

const byte = () => randomBytes(1)[0] ?? 0;
/** The address the deployment's proxy appended: one per test, so the tests cannot meet. */
const proxyAppended = () => `203.0.113.${1 + (byte() % 254)}`;
/** Whatever a client puts in front of it: a new "address" every request. */
const spoofed = () => `${1 + (byte() % 223)}.${byte()}.${byte()}.${byte()}`;

/** X-Forwarded-For values that name no address (a bare `next start` passes them on as sent). */
const JUNK: (string | null)[] = [
  null,
  "",
  " ",
  ",",
  "junk",
  "unknown",
  "203.0.113.9, junk",
  "203.0.113.9,",
  "999.1.1.1",
  "1.2.3.4.5",
  "2001:db8::1::2",
  "::ffff:zzzz",
  "<script>alert(1)</script>",
  "'; drop table public.conversations; --",
  "localhost",
  "[::1",
  "1.1.1.1 2.2.2.2",
  "x".repeat(2000),
  "%31%2e%31%2e%31%2e%31",
  "null",
  "fe80::1%eth0%",
  "0.0.0.0/0",
  "\u00a0",
  "\u00bd.1.1.1",
  "1.1.1.1;2.2.2.2",
];

describeServer("the per-address guest limits, over HTTP (real server)", () => {
  let app: ServerApp;
  let persona = "";

  beforeAll(async () => {
    app = await startServerApp("address", { GUEST_CONVERSATIONS_PER_SESSION: "100" }, 30);
    persona = (await personaIds())[0] ?? "";
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Starts one conversation for each of `jars` at once, each with its own headers. */
  async function newGuestsAtOnce(headersOf: (i: number) => Record<string, string>, n = 25) {
    const jars = Array.from({ length: n }, () => new CookieJar());
    const responses = await Promise.all(
      jars.map((jar, i) => createConversation(jar, persona, null, headersOf(i))),
    );
    const codes = await Promise.all(responses.map(codeOfResponse));
    return { jars, responses, codes };
  }

  const sessionsCounted = async (key: string) =>
    Number(
      (
        await app.sql(
          "select count(*)::int as n from chat_private.usage_events where subject = $1 and kind = 'session'",
          [`ip:${key}`],
        )
      )[0]?.n,
    );

  it("25 new guests from one address at once: exactly 20 start, 5 get 429 rate_limited", async () => {
    const ip = proxyAppended();
    const { responses, codes } = await newGuestsAtOnce(() => ({ "x-forwarded-for": ip }));
    console.log(`25 new guests from ${ip}: ${summary(codes)}`);
    expect(codes.filter((c) => c === "ok")).toHaveLength(20);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(5);
    for (const r of responses.filter((r) => !r.ok)) {
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(3000);
    }
    expect(await sessionsCounted(ip)).toBe(20);
  });

  it("rotating the entries in front of the proxy's own changes nothing: still 20", async () => {
    const ip = proxyAppended();
    const { codes } = await newGuestsAtOnce(() => ({
      "x-forwarded-for": `${spoofed()}, ${spoofed()}, ${ip}`,
    }));
    console.log(`25 new guests, rotating X-Forwarded-For before ${ip}: ${summary(codes)}`);
    expect(codes.filter((c) => c === "ok")).toHaveLength(20);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(5);
    expect(await sessionsCounted(ip)).toBe(20);
  });

  it("junk X-Forwarded-For counts in one shared unknown bucket: still 20", async () => {
    const { codes } = await newGuestsAtOnce((i): Record<string, string> => {
      const junk = JUNK[i % JUNK.length];
      return typeof junk === "string" ? { "x-forwarded-for": junk } : {};
    }, JUNK.length);
    console.log(`${JUNK.length} new guests with junk X-Forwarded-For: ${summary(codes)}`);
    expect(codes.filter((c) => c === "ok")).toHaveLength(20);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(JUNK.length - 20);
    expect(await sessionsCounted("unknown")).toBe(20);
    // None of it was taken for an address of its own.
    const [row] = await app.sql(
      `select count(distinct subject)::int as n from chat_private.usage_events
       where kind = 'session' and subject not like 'ip:203.0.113.%'`,
    );
    expect(row?.n).toBe(1);
  });

  it("guest messages per address per day hold against rotating and junk X-Forwarded-For", async () => {
    app.configure({ GUEST_CONVERSATIONS_PER_SESSION: "100", GUEST_MESSAGES_PER_IP_PER_DAY: "6" });
    try {
      for (const [label, headerOf, key] of [
        ["rotating", (ip: string) => `${spoofed()}, ${ip}`, (ip: string) => ip],
        ["junk", (_ip: string) => JUNK[2 + (byte() % 20)] ?? "junk", () => "unknown"],
      ] as const) {
        // Three guests behind one proxy address, three conversations each.
        const ip = proxyAppended();
        const chats: { jar: CookieJar; id: string }[] = [];
        for (let g = 0; g < 3; g++) {
          const jar = new CookieJar();
          for (let c = 0; c < 3; c++) {
            const response = await createConversation(jar, persona, ip);
            expect(response.status).toBe(201);
            const { conversation } = (await response.json()) as { conversation: { id: string } };
            chats.push({ jar, id: conversation.id });
          }
        }
        const responses = await Promise.all(
          chats.map(({ jar, id }, i) =>
            postMessage(jar, id, `message ${i}`, null, {
              json: true,
              headers: { "x-forwarded-for": headerOf(ip) },
            }),
          ),
        );
        const codes = await Promise.all(responses.map(codeOfResponse));
        console.log(`9 posts, ${label} X-Forwarded-For, 6 a day allowed: ${summary(codes)}`);
        expect(codes.filter((c) => c === "ok")).toHaveLength(6);
        expect(codes.filter((c) => c === "rate_limited")).toHaveLength(3);
        const [row] = await app.sql(
          `select count(*)::int as n from public.messages
           where role = 'user' and conversation_id = any($1::uuid[])`,
          [chats.map((c) => c.id)],
        );
        expect(row?.n).toBe(6);
        const [counted] = await app.sql(
          "select count(*)::int as n from chat_private.usage_events where subject = $1 and kind = 'message'",
          [`ip:${key(ip)}`],
        );
        expect(counted?.n).toBe(6);
      }
    } finally {
      app.configure({ GUEST_CONVERSATIONS_PER_SESSION: "100" });
    }
  });
});

function summary(codes: string[]): string {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return JSON.stringify(counts);
}
