// The real PostgreSQL server for integration tests: TEST_DATABASE_URL (CI always sets it).
// Each suite gets its own scratch database on that server, migrated by the real Supabase CLI.

import type pg from "pg";
import { describe } from "vitest";
import { createPgPool, pgExecutor } from "@/lib/db/pg";
import { createPort } from "@/lib/db/port";
import { createSqlTransport } from "@/lib/db/sql-transport";
import type { DbPort } from "@/lib/db/types";
import { pushToFreshDatabase } from "../../scripts/lib/generate-types";
import { createScratchDatabase } from "../../scripts/lib/supabase-cli";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

if (process.env.CI && !TEST_DATABASE_URL) {
  throw new Error("CI must set TEST_DATABASE_URL: the server-side tests may not be skipped there.");
}

/** `describe` that runs only when a server is configured (always in CI, see the check above). */
export const describeServer = TEST_DATABASE_URL ? describe : describe.skip;

/** An empty scratch database (no compat SQL, no migrations). */
export async function emptyServerDatabase(prefix = "t") {
  return createScratchDatabase(requireServer(), prefix);
}

/** A scratch database with the compat SQL and every migration pushed by the Supabase CLI. */
export async function migratedServerDatabase(prefix = "t") {
  return pushToFreshDatabase(requireServer(), prefix);
}

export function serverPort(url: string, max = 10): { port: DbPort; pool: pg.Pool } {
  const pool = createPgPool(url, max);
  return { port: createPort(createSqlTransport(pgExecutor(pool))), pool };
}

function requireServer(): string {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set.");
  return TEST_DATABASE_URL;
}
