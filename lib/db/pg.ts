// Any Postgres server through `pg`, for postgres mode and the server-side tests.

import pg from "pg";
import type { SqlExecutor } from "./sql-transport";

export function createPgPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on("error", (error) => console.error("[db] idle client error", error.message));
  return pool;
}

export function pgExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async execMulti(sql) {
      // Without parameters pg uses the simple protocol: one round trip for the whole string.
      const result = (await pool.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(result) ? result.at(-1) : result;
      return (last?.rows ?? []) as Record<string, unknown>[];
    },
    close: () => pool.end(),
  };
}
