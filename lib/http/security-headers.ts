// The security headers of every response: static ones for next.config.ts `headers()` (pages, API,
// static files) and the nonce-based page CSP that proxy.ts sets per request. No imports, so
// next.config.ts can load it; the caller says whether this is a production server.

export type Header = { key: string; value: string };

/** Where live voice sessions connect (ElevenLabs' WebSocket API and its regional hosts). */
const VOICE_SOCKETS = ["wss://api.elevenlabs.io", "wss://*.elevenlabs.io"];

function policy(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");
}

/**
 * The page policy. With a nonce (set by proxy.ts, which Next.js reads back to stamp its own
 * scripts), only scripts carrying it, and what they load, run ('strict-dynamic'). Without one
 * (a response the proxy did not see), Next.js's inline bootstrap scripts need 'unsafe-inline'.
 * Development needs 'unsafe-eval' (React's error overlays) and inline styles (hot reloading).
 * No upgrade-insecure-requests: HSTS covers production, and local http servers must keep working.
 */
export function pageContentSecurityPolicy(options: {
  production: boolean;
  nonce?: string;
}): string {
  const { production, nonce } = options;
  const dev = production ? [] : ["'unsafe-eval'"];
  const scripts = nonce
    ? ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...dev]
    : ["'self'", "'unsafe-inline'", ...dev];
  const styles =
    nonce && production ? ["'self'", `'nonce-${nonce}'`] : ["'self'", "'unsafe-inline'"];
  return policy({
    "default-src": ["'self'"],
    "script-src": scripts,
    "style-src": styles,
    // style="" attributes (a progress bar's width) cannot carry a nonce; they cannot run code.
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "blob:", "data:"],
    "font-src": ["'self'"],
    // Voice messages play from same-origin /api paths; recordings are blob: URLs before upload.
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'", ...VOICE_SOCKETS],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  });
}

/** JSON and streams need no sources at all; framing is refused here too. */
export const API_CONTENT_SECURITY_POLICY = policy({
  "default-src": ["'none'"],
  "frame-ancestors": ["'none'"],
});

/** Two years, the HSTS preload list's minimum; subdomains of the app's host too. */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** Headers every response carries, whatever produced it. */
export function commonSecurityHeaders(options: { production: boolean }): Header[] {
  const headers: Header[] = [
    { key: "x-content-type-options", value: "nosniff" },
    // frame-ancestors 'none' in the CSP, and this for browsers that predate it.
    { key: "x-frame-options", value: "DENY" },
    { key: "referrer-policy", value: "strict-origin-when-cross-origin" },
    // The microphone for voice messages, on this origin only; nothing else.
    { key: "permissions-policy", value: "camera=(), microphone=(self), geolocation=()" },
  ];
  // Browsers ignore HSTS over plain http, but a development server should not send it at all.
  if (options.production) headers.push({ key: "strict-transport-security", value: HSTS_VALUE });
  return headers;
}

/**
 * The `headers()` rules of next.config.ts. Keys are lowercase so that the proxy's nonce-based
 * CSP replaces the static one for pages instead of being sent beside it; rules apply in order,
 * so the API rule's CSP replaces the page one under /api.
 */
export function securityHeaderRules(options: {
  production: boolean;
}): { source: string; headers: Header[] }[] {
  return [
    {
      source: "/:path*",
      headers: [
        ...commonSecurityHeaders(options),
        { key: "content-security-policy", value: pageContentSecurityPolicy(options) },
      ],
    },
    {
      source: "/api/:path*",
      headers: [{ key: "content-security-policy", value: API_CONTENT_SECURITY_POLICY }],
    },
  ];
}

/** 128 random bits, base64: unguessable, and fresh for every page request. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/**
 * For proxy.ts: gives a page response the nonce-based CSP. Next.js copies the proxy's response
 * headers onto the request it renders, finds the nonce in this header and adds it to every
 * script it emits. API responses keep the static API policy.
 */
export function withPageSecurityHeaders<R extends Response>(
  request: Request,
  response: R,
  options: { production: boolean },
): R {
  if (isApiPath(new URL(request.url).pathname)) return response;
  response.headers.set(
    "content-security-policy",
    pageContentSecurityPolicy({ ...options, nonce: createNonce() }),
  );
  return response;
}
