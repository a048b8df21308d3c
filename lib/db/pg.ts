// Any Postgres server through `pg`, for postgres mode and the server-side tests. A database that
// cannot be reached, drops the connection or stops answering is 503 service_unavailable, within
// the connect and query timeouts, never a 500 or a request that waits without end.

import pg from "pg";
import { AppError } from "@/lib/errors";
import type { SqlExecutor } from "./sql-transport";

/** Connecting, and one call, may take this long before the database counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 15_000;

function unreachable(error: unknown): AppError {
  console.error("[db] database unreachable:", error instanceof Error ? error.message : error);
  return new AppError("service_unavailable", undefined, { cause: error });
}

export function createPgPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on("error", (error) => console.error("[db] idle client error", error.message));
  return pool;
}

export function pgExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async execMulti(sql) {
      // Not `pool.query`: it destroys the connection on any error, so every refused call (a guest
      // at the cap, a 404) would cost a reconnect. A statement error leaves the connection
      // healthy (Postgres rolled the implicit transaction back, `set local` with it); only a
      // broken connection is dropped (pg-pool also drops a client that is no longer queryable).
      const client = await pool.connect().catch((error: unknown) => {
        throw unreachable(error);
      });
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      // A connection that dies while checked out emits `error`; unheard, it would crash the process.
      client.on("error", onError);
      try {
        // Without parameters pg uses the simple protocol: one round trip for the whole string.
        const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
        const last = Array.isArray(result) ? result.at(-1) : result;
        return (last?.rows ?? []) as Record<string, unknown>[];
      } catch (error) {
        // A statement's own error (a refusal from SQL, a constraint) is mapped by the transport;
        // anything else is the connection failing.
        if (error instanceof pg.DatabaseError) throw error;
        broken ??= error as Error;
        throw unreachable(error);
      } finally {
        client.off("error", onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
