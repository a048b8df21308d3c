// The one seam through which tests point the domain at a database: setDbForTests (lib/db) for
// the port, with the settings the scenarios count against (the guest limit).

import { setConfigForTests } from "@/lib/config";
import { type DbPort, setDbForTests } from "@/lib/db";

/** Messages per guest session in the tests (the default, pinned so a local .env cannot move it). */
export const GUEST_LIMIT = 10;

/** Makes `port` the process's database until the returned function is called. */
export function useDatabase(port: DbPort): () => void {
  const restorePort = setDbForTests(port);
  setConfigForTests({ GUEST_MESSAGE_LIMIT: String(GUEST_LIMIT) });
  return () => {
    restorePort();
    setConfigForTests();
  };
}

/** Runs `work` with `port` as the process's database, then puts the previous one back. */
export async function withDatabase<T>(port: DbPort, work: () => Promise<T>): Promise<T> {
  // biome-ignore lint/correctness/useHookAtTopLevel: a test helper named like a hook, not a React hook.
  const restore = useDatabase(port);
  try {
    return await work();
  } finally {
    restore();
  }
}
