// Whether the code running now serves an API route handler (inside withApi). The sign-in port
// asks this to renew an expired session where cookies can be set: API requests that carry a body
// skip proxy.ts (its matcher; Next.js would read their whole body for it), so the proxy cannot
// renew it for them.

import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

// One store per process: Next.js may load this module once per bundle layer.
const KEY = Symbol.for("persona-chat.api-scope");
const shared = globalThis as { [KEY]?: AsyncLocalStorage<true> };
shared[KEY] ??= new AsyncLocalStorage<true>();
const store = shared[KEY];

export function runInApiScope<T>(run: () => T): T {
  return store.run(true, run);
}

/** True inside an API route handler (and the streams it returns), false in pages and actions. */
export function insideApiHandler(): boolean {
  return store.getStore() === true;
}
