// The small request-level pieces of sign-in: the `?next=` return path, the client's IP, the
// built-in session's upkeep in root proxy.ts, and the history list's relative times.

import type { PGlite } from "@electric-sql/pglite";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRelativeTime } from "@/components/history/relative-time";
import { addressKey, clientIpFrom, UNKNOWN_CLIENT } from "@/lib/auth/client-ip";
import { localRevoke, localSignUp } from "@/lib/auth/local-auth";
import {
  issueSessionToken,
  REFRESH_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  verifySessionToken,
} from "@/lib/auth/local-session";
import { safeNextPath } from "@/lib/auth/next-path";
import { refreshLocalSession } from "@/lib/auth/session-refresh";
import type { DbPort } from "@/lib/db";
import { useDatabase } from "../support/database";
import { freshPglitePort } from "../support/pglite";

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
  let pglite: PGlite;
  let port: DbPort;
  let restore: () => void;
  let email = 0;
  beforeAll(async () => {
    ({ db: pglite, port } = await freshPglitePort());
    restore = useDatabase(port);
  });
  afterAll(async () => {
    restore();
    await pglite.close();
  });

  /** A real account with a real session, and its cookies. */
  async function signedIn(accessAgeSeconds = 0) {
    const result = await localSignUp(
      port,
      { email: `proxy-${++email}@example.com`, password: "Tr1cky-passphrase", ip: "10.0.0.1" },
      { maxPerIp: 100, windowSeconds: 60 },
    );
    const now = Math.floor(Date.now() / 1000);
    const access = await issueSessionToken(result.user, result.session, {
      now: now - accessAgeSeconds,
    });
    return { ...result, access };
  }

  const requestWith = (
    cookies: Record<string, string>,
    init: { method?: string; path?: string } = {},
  ) =>
    new NextRequest(`http://app.local${init.path ?? "/history"}`, {
      method: init.method ?? "GET",
      headers: {
        cookie: Object.entries(cookies)
          .map(([name, value]) => `${name}=${value}`)
          .join("; "),
      },
    });

  it("leaves a fresh access token alone", async () => {
    const { access, refreshToken } = await signedIn();
    const response = await refreshLocalSession(
      requestWith({ [SESSION_COOKIE]: access, [REFRESH_COOKIE]: refreshToken }),
    );
    expect(response.cookies.getAll()).toEqual([]);
  });

  it("renews an access token past half-life, and rotates the refresh token, for the browser and this request", async () => {
    const { access, refreshToken, session, user } = await signedIn(SESSION_TTL_SECONDS / 2 + 60);
    const before = await verifySessionToken(access);
    const response = await refreshLocalSession(
      requestWith({ [SESSION_COOKIE]: access, [REFRESH_COOKIE]: refreshToken }),
    );
    const set = response.cookies.get(SESSION_COOKIE);
    expect(set?.httpOnly).toBe(true);
    expect(set?.sameSite).toBe("lax");
    const after = await verifySessionToken(set?.value);
    expect(after?.sub).toBe(user.id);
    expect(after?.session_id).toBe(session.id);
    expect(after?.exp).toBeGreaterThan(before?.exp ?? 0);
    const rotated = response.cookies.get(REFRESH_COOKIE);
    expect(rotated?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated?.value).not.toBe(refreshToken);
    expect(response.headers.get("x-middleware-request-cookie")).toContain(set?.value ?? "missing");
  });

  it("renews an expired access token on an API call too", async () => {
    const { refreshToken } = await signedIn();
    const response = await refreshLocalSession(
      requestWith(
        { [REFRESH_COOKIE]: refreshToken },
        { method: "POST", path: "/api/conversations" },
      ),
    );
    expect(await verifySessionToken(response.cookies.get(SESSION_COOKIE)?.value)).not.toBeNull();
  });

  it("signs the visitor out when the refresh token no longer works (signed out elsewhere)", async () => {
    const { access, refreshToken, session } = await signedIn(SESSION_TTL_SECONDS / 2 + 60);
    await localRevoke(port, { sessionId: session.id, refreshToken: null });
    const response = await refreshLocalSession(
      requestWith({ [SESSION_COOKIE]: access, [REFRESH_COOKIE]: refreshToken }),
    );
    for (const name of [SESSION_COOKIE, REFRESH_COOKIE]) {
      const set = response.cookies.get(name);
      expect(set?.value).toBe("");
      expect(new Date(set?.expires ?? Date.now()).getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it("drops an access cookie that does not verify when there is nothing to renew it with", async () => {
    const response = await refreshLocalSession(
      requestWith({ [SESSION_COOKIE]: "forged.token.value" }),
    );
    const set = response.cookies.get(SESSION_COOKIE);
    expect(set?.value).toBe("");
  });

  it("leaves server actions alone (the sign-in and sign-out actions set these cookies themselves)", async () => {
    const { access, refreshToken } = await signedIn(SESSION_TTL_SECONDS / 2 + 60);
    const request = new NextRequest("http://app.local/login", {
      method: "POST",
      headers: {
        cookie: `${SESSION_COOKIE}=${access}; ${REFRESH_COOKIE}=${refreshToken}`,
        "next-action": "abc123",
      },
    });
    expect((await refreshLocalSession(request)).cookies.getAll()).toEqual([]);
  });

  it("does nothing without a session", async () => {
    const response = await refreshLocalSession(requestWith({}));
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
