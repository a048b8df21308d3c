// The database port for this process, chosen by the mode (lib/config.ts). Tests swap it with
// setDbForTests: the one seam through which they give the domain another database.

import "server-only";
import { getConfig } from "@/lib/config";
import { createPort } from "./port";
import type { DbPort } from "./types";

export type {
  DbPort,
  LocalAuthArgs,
  LocalAuthName,
  LocalAuthResult,
  RpcArgs,
  RpcName,
  RpcResult,
} from "./types";

const globalForDb = globalThis as unknown as { __personaDb?: Promise<DbPort> };

async function openPort(): Promise<DbPort> {
  const config = getConfig();
  if (config.mode === "supabase" && config.supabase) {
    const { createSupabaseTransport } = await import("./supabase-transport");
    return createPort(createSupabaseTransport(config.supabase));
  }
  const { createSqlTransport } = await import("./sql-transport");
  if (config.mode === "postgres" && config.databaseUrl) {
    const { createPgPool, pgExecutor } = await import("./pg");
    return createPort(createSqlTransport(pgExecutor(createPgPool(config.databaseUrl))));
  }
  const { openPglite, pgliteExecutor } = await import("./pglite");
  const started = performance.now();
  const db = await openPglite(config.pgliteDir);
  console.info(
    `[db] embedded PGlite ready in ${Math.round(performance.now() - started)} ms (${config.pgliteDir})`,
  );
  return createPort(createSqlTransport(pgliteExecutor(db)));
}

/** The process-wide port (kept on globalThis so dev reloads don't open PGlite twice). */
export function getDb(): Promise<DbPort> {
  if (!globalForDb.__personaDb) {
    globalForDb.__personaDb = openPort().catch((error) => {
      globalForDb.__personaDb = undefined;
      throw error;
    });
  }
  return globalForDb.__personaDb;
}

/**
 * For tests: use this port instead of the configured one (undefined: the configured one again).
 * Returns a function that puts back whatever was in use before.
 */
export function setDbForTests(port: DbPort | undefined): () => void {
  const previous = globalForDb.__personaDb;
  globalForDb.__personaDb = port ? Promise.resolve(port) : undefined;
  return () => {
    globalForDb.__personaDb = previous;
  };
}
