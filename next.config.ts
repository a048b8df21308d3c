import type { NextConfig } from "next";
import { MAX_BODY_BYTES } from "./lib/http/body-limits";
import { securityHeaderRules } from "./lib/http/security-headers";

// next build and next start run with NODE_ENV=production; next dev does not (no HSTS there).
const production = process.env.NODE_ENV === "production";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Lets tests and parallel builds use their own output folder (e.g. NEXT_DIST_DIR=.next-e2e).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // CSP, frame-ancestors, nosniff, Referrer-Policy, Permissions-Policy and (production) HSTS on
  // every response; proxy.ts gives pages a nonce-based CSP instead (withPageSecurityHeaders).
  async headers() {
    return securityHeaderRules({ production });
  },
  experimental: {
    // Next.js copies a request body for proxy.ts and waits for all of it before any handler
    // runs; past this size the copy, and so the body, is cut. proxy.ts's matcher skips API
    // requests that carry a body (voice uploads included), so only page and action bodies are
    // copied: a cut one still reads as over the 64 KB cap.
    proxyClientMaxBodySize: 4 * MAX_BODY_BYTES,
    serverActions: {
      // The actions take an id, an email and a password: 64 KB is far more than enough. Past
      // it Next.js 16 answers a fetch action with 500, not 413, so proxy.ts answers 413 first
      // when the length is declared (lib/http/proxy-guards.ts).
      bodySizeLimit: MAX_BODY_BYTES,
    },
  },
};

export default nextConfig;
