// The small request-level pieces of sign-in: the `?next=` return path, the client's IP, the
// built-in session's upkeep in root proxy.ts, and the history list's relative times.

import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { formatRelativeTime } from "@/components/history/relative-time";
import { addressKey, clientIpFrom, UNKNOWN_CLIENT } from "@/lib/auth/client-ip";
import {
  issueSessionToken,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  verifySessionToken,
} from "@/lib/auth/local-session";
import { safeNextPath } from "@/lib/auth/next-path";
import { refreshLocalSession } from "@/lib/auth/session-refresh";

beforeAll(() => {
  process.env.APP_SECRET = "request-helpers-secret-0123456789abcdefghij";
});

describe("safeNextPath", () => {
  it("keeps same-site paths with their query and hash", () => {
    expect(safeNextPath("/c/7d1c1f0e-0000-4000-8000-000000000001")).toBe(
      "/c/7d1c1f0e-0000-4000-8000-000000000001",
    );
    expect(safeNextPath("/history?x=1#top")).toBe("/history?x=1#top");
    expect(safeNextPath("/")).toBe("/");
  });

  it("gives the same answer when applied twice", () => {
    for (const value of ["/..//evil.example", "/c/1/../2", "/history?x=1", "/./history"]) {
      expect(safeNextPath(safeNextPath(value))).toBe(safeNextPath(value));
    }
  });

  it("refuses anything that could leave the site, or loop back to the form", () => {
    for (const bad of [
      "//evil.example",
      "//evil.example/c/1",
      // Normalised by URL into `//evil.example`, which a browser reads as another host.
      "/..//evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      "/%2e%2e//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "c/1",
      "/\t/evil.example",
      "/\n/evil.example",
      "",
      "/login",
      "/signup?next=/c/1",
      `/${"a".repeat(3000)}`,
      null,
      undefined,
      42,
    ]) {
      expect(safeNextPath(bad), String(bad)).toBe("/");
    }
  });
});

describe("clientIpFrom", () => {
  it("takes the address the nearest proxy appended to X-Forwarded-For", () => {
    const xff = (value: string) =>
      clientIpFrom(new Headers({ "x-forwarded-for": value }), "x-forwarded-for");
    expect(xff("198.51.100.1, 203.0.113.9")).toBe("203.0.113.9");
    // A client rotating or padding its own entries cannot move the right-most one.
    expect(xff("1.1.1.1, 2.2.2.2, 203.0.113.9")).toBe("203.0.113.9");
    expect(xff("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(xff("[2001:db8:1:2::5]")).toBe("2001:db8:1:2::/64");
    expect(xff("2001:db8:1:2:aaaa::9")).toBe("2001:db8:1:2::/64");
  });

  it("reads X-Real-IP when that is the configured header, and ignores X-Forwarded-For then", () => {
    const headers = new Headers({ "x-real-ip": "203.0.113.5", "x-forwarded-for": "198.51.100.7" });
    expect(clientIpFrom(headers, "x-real-ip")).toBe("203.0.113.5");
    expect(clientIpFrom(headers, "x-forwarded-for")).toBe("198.51.100.7");
  });

  it("puts a missing or unparseable address in the shared unknown bucket, never null", () => {
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "not an ip" }), "x-forwarded-for")).toBe(
      UNKNOWN_CLIENT,
    );
    expect(
      clientIpFrom(new Headers({ "x-forwarded-for": "203.0.113.9, junk" }), "x-forwarded-for"),
    ).toBe(UNKNOWN_CLIENT);
    expect(clientIpFrom(new Headers(), "x-real-ip")).toBe(UNKNOWN_CLIENT);
    expect(addressKey("")).toBe(UNKNOWN_CLIENT);
  });
});

describe("refreshLocalSession (root proxy.ts, built-in mode)", () => {
  const user = { id: "1b0c6f0e-2f6a-4bb0-9a55-2b8e6f1d7c01", email: "grace@example.com" };
  const requestWith = (cookie?: string) =>
    new NextRequest("http://app.local/history", {
      headers: cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {},
    });

  it("leaves a fresh session alone", async () => {
    const token = await issueSessionToken(user);
    const response = await refreshLocalSession(requestWith(token));
    expect(response.cookies.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("re-issues a session past half-life, for the browser and for this request", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await issueSessionToken(user, { now: now - SESSION_TTL_SECONDS / 2 - 60 });
    const before = await verifySessionToken(old);
    const response = await refreshLocalSession(requestWith(old));
    const set = response.cookies.get(SESSION_COOKIE);
    expect(set?.httpOnly).toBe(true);
    expect(set?.sameSite).toBe("lax");
    const after = await verifySessionToken(set?.value);
    expect(after?.sub).toBe(user.id);
    expect(after?.session_id).toBe(before?.session_id);
    expect(after?.exp).toBeGreaterThan(before?.exp ?? 0);
    expect(response.headers.get("x-middleware-request-cookie")).toContain(set?.value ?? "missing");
  });

  it("drops a cookie that does not verify", async () => {
    const response = await refreshLocalSession(requestWith("forged.token.value"));
    const set = response.cookies.get(SESSION_COOKIE);
    expect(set?.value).toBe("");
    expect(new Date(set?.expires ?? Date.now()).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("leaves writes alone (a sign-in or sign-out action sets the cookie itself)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await issueSessionToken(user, { now: now - SESSION_TTL_SECONDS / 2 - 60 });
    const request = new NextRequest("http://app.local/login", {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${old}` },
    });
    expect((await refreshLocalSession(request)).cookies.getAll()).toEqual([]);
  });

  it("does nothing without a session", async () => {
    const response = await refreshLocalSession(requestWith());
    expect(response.cookies.getAll()).toEqual([]);
  });
});

describe("formatRelativeTime", () => {
  const now = new Date("2025-11-10T12:00:00Z");
  it("says how long ago, briefly", () => {
    expect(formatRelativeTime("2025-11-10T11:59:50Z", now)).toBe("just now");
    expect(formatRelativeTime("2025-11-10T11:55:00Z", now)).toBe("5 min ago");
    expect(formatRelativeTime("2025-11-10T09:00:00Z", now)).toBe("3 h ago");
    expect(formatRelativeTime("2025-11-09T10:00:00Z", now)).toBe("yesterday");
    expect(formatRelativeTime("2025-11-06T12:00:00Z", now)).toBe("4 days ago");
    expect(formatRelativeTime("2025-10-01T12:00:00Z", now)).toBe("Oct 1");
    expect(formatRelativeTime("2024-10-01T12:00:00Z", now)).toBe("Oct 1, 2024");
    expect(formatRelativeTime("garbage", now)).toBe("");
  });
});

describe("isAppError", () => {
  it("recognises an AppError made by another copy of lib/errors (another bundle layer)", async () => {
    const { AppError, isAppError } = await import("@/lib/errors");
    class ForeignAppError extends Error {
      code = "too_many_attempts";
      status = 429;
      constructor() {
        super("Too many attempts.");
        this.name = "AppError";
      }
    }
    expect(isAppError(new AppError("email_taken"))).toBe(true);
    expect(isAppError(new ForeignAppError())).toBe(true);
    expect(
      isAppError(Object.assign(new Error("x"), { name: "AppError", code: "nope", status: 1 })),
    ).toBe(false);
    expect(isAppError({ name: "AppError", code: "internal", status: 500 })).toBe(false);
    expect(isAppError(new Error("plain"))).toBe(false);
  });
});
