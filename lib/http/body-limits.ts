// How much request body the app reads, and for how long. No imports, so next.config.ts can use
// the same numbers for the bodies Next.js itself reads (the proxy's copy, server actions).

/** Far above any valid body here (a message is at most 4000 characters, ~16 KB of UTF-8). */
export const MAX_BODY_BYTES = 64 * 1024;

/** A body this small that is still arriving after this long is a slow-body attack, not a user. */
export const BODY_TIMEOUT_MS = 10_000;
