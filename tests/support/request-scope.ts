// A stand-in for next/headers, the one piece of Next.js the route handlers and server actions
// use: cookies() and headers() answer for the request being handled, which runs inside
// inRequest(). AsyncLocalStorage keeps concurrent requests apart, each with its own cookie jar,
// as Next.js gives each request its own; so many handlers can run at once, as on a real server.
// Register it in a test file (vi.mock is hoisted above imports):
//   vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

import { AsyncLocalStorage } from "node:async_hooks";

/** A browser's cookies for this app: what Set-Cookie left, sent back on the next request. */
export class CookieJar {
  readonly values = new Map<string, string>();

  constructor(entries: Iterable<[string, string]> = []) {
    for (const [name, value] of entries) this.values.set(name, value);
  }

  get(name: string): { name: string; value: string } | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : { name, value };
  }

  getAll(): { name: string; value: string }[] {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  set(name: string, value: string, options?: { maxAge?: number }): void {
    if (options?.maxAge === 0) this.values.delete(name);
    else this.values.set(name, value);
  }

  delete(name: string): void {
    this.values.delete(name);
  }

  /** Another browser holding the same cookies (a copied cookie header). */
  copy(): CookieJar {
    return new CookieJar(this.values);
  }
}

type Scope = { jar: CookieJar; headers: Headers };

const storage = new AsyncLocalStorage<Scope>();

function current(): Scope {
  const scope = storage.getStore();
  if (!scope) throw new Error("next/headers was used outside inRequest().");
  return scope;
}

/** The module next/headers is replaced with. */
export const nextHeaders = {
  cookies: async () => current().jar,
  headers: async () => current().headers,
};

/** Runs `work` as the handling of one request from the browser holding `jar`. */
export function inRequest<T>(
  jar: CookieJar,
  headers: HeadersInit | undefined,
  work: () => Promise<T>,
): Promise<T> {
  return storage.run({ jar, headers: new Headers(headers) }, work);
}

/** Calls a route handler for `request`, its cookies from `jar` (which takes what it sets). */
export function callRoute<C>(
  jar: CookieJar,
  handler: (request: Request, context: C) => Promise<Response>,
  request: Request,
  context: C,
): Promise<Response> {
  return inRequest(jar, request.headers, () => handler(request, context));
}

/** The error code of a JSON error answer, or "ok" for a 2xx. */
export async function codeOfResponse(response: Response): Promise<string> {
  if (response.ok) return "ok";
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code ?? `status ${response.status}`;
}
