// The security headers: the page CSP with and without a nonce, the API's CSP, the rules handed to
// next.config.ts, and the proxy helper that stamps a fresh nonce on page responses only.

import { describe, expect, it } from "vitest";
import {
  API_CONTENT_SECURITY_POLICY,
  commonSecurityHeaders,
  createNonce,
  pageContentSecurityPolicy,
  securityHeaderRules,
  withPageSecurityHeaders,
} from "@/lib/http/security-headers";

/** A CSP as directive → sources. */
function parse(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("pageContentSecurityPolicy", () => {
  it("in production with a nonce: only nonce-carrying scripts, no inline or eval", () => {
    const csp = parse(pageContentSecurityPolicy({ production: true, nonce: "abc123" }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'nonce-abc123'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("media-src")).toEqual(["'self'", "blob:"]);
    expect(csp.get("connect-src")).toEqual([
      "'self'",
      "wss://api.elevenlabs.io",
      "wss://*.elevenlabs.io",
    ]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it("without a nonce, Next.js's inline bootstrap needs 'unsafe-inline' (and no strict-dynamic)", () => {
    const csp = parse(pageContentSecurityPolicy({ production: true }));
    expect(csp.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("in development allows eval (React's overlays) and inline styles (hot reload)", () => {
    const csp = parse(pageContentSecurityPolicy({ production: false, nonce: "n" }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe("commonSecurityHeaders and the next.config.ts rules", () => {
  const asObject = (headers: { key: string; value: string }[]) =>
    Object.fromEntries(headers.map((h) => [h.key, h.value]));

  it("sends nosniff, DENY, the referrer policy and the permissions policy always", () => {
    const headers = asObject(commonSecurityHeaders({ production: false }));
    expect(headers).toEqual({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
      "permissions-policy": "camera=(), microphone=(self), geolocation=()",
    });
  });

  it("adds HSTS in production only", () => {
    expect(asObject(commonSecurityHeaders({ production: true }))).toHaveProperty(
      "strict-transport-security",
      "max-age=63072000; includeSubDomains",
    );
  });

  it("gives every path the page CSP, then /api the API's (the later rule wins)", () => {
    const [all, api] = securityHeaderRules({ production: true });
    expect(all?.source).toBe("/:path*");
    expect(asObject(all?.headers ?? [])["content-security-policy"]).toBe(
      pageContentSecurityPolicy({ production: true }),
    );
    expect(api?.source).toBe("/api/:path*");
    expect(api?.headers).toEqual([
      { key: "content-security-policy", value: API_CONTENT_SECURITY_POLICY },
    ]);
    expect(API_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; frame-ancestors 'none'");
    // Lowercase keys: the proxy's header then replaces the static one instead of joining it.
    for (const rule of [all, api]) {
      for (const { key } of rule?.headers ?? []) expect(key).toBe(key.toLowerCase());
    }
  });
});

describe("createNonce and withPageSecurityHeaders", () => {
  it("makes 128-bit base64 nonces, a new one each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
  });

  it("stamps a page response with a fresh nonce-based CSP", () => {
    const first = withPageSecurityHeaders(
      new Request("http://app.test/c/123"),
      new Response(null),
      { production: true },
    ).headers.get("content-security-policy");
    const second = withPageSecurityHeaders(new Request("http://app.test/"), new Response(null), {
      production: true,
    }).headers.get("content-security-policy");
    const nonce = /'nonce-([^']+)'/.exec(first ?? "")?.[1];
    expect(nonce).toBeDefined();
    expect(first).toBe(pageContentSecurityPolicy({ production: true, nonce }));
    expect(second).not.toBe(first);
  });

  it("leaves API responses to the static API policy", () => {
    for (const path of ["/api", "/api/personas", "/api/conversations/x/messages"]) {
      const response = withPageSecurityHeaders(
        new Request(`http://app.test${path}`),
        new Response(null),
        { production: true },
      );
      expect(response.headers.get("content-security-policy")).toBeNull();
    }
    // A page whose path merely starts with "api" is still a page.
    const page = withPageSecurityHeaders(
      new Request("http://app.test/apiary"),
      new Response(null),
      {
        production: true,
      },
    );
    expect(page.headers.get("content-security-policy")).toContain("'nonce-");
  });
});
