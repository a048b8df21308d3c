// The `?next=` return address after signing in or up: only a path on this site, never a way to
// send the visitor elsewhere (`//evil.example`, `/\evil.example`, `https://...`, `javascript:`).

const FALLBACK = "/";

export function safeNextPath(value: unknown, fallback = FALLBACK): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  // Browsers read a backslash as a slash, and strip tabs and newlines from URLs.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    const base = "http://same-site.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // URL normalisation can turn `/..//evil.example` into `//evil.example`: check the result too.
    if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
    // Returning to the sign-in screens themselves would only show the form again.
    if (/^\/(login|signup)(\/|$)/.test(url.pathname)) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
