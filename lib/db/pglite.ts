// The embedded database: PGlite in a folder (default .data/pglite), migrated at start-up.

import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { applyCompatIfMissing, applyMigrations, readMigrations } from "./migrations";
import type { SqlExecutor } from "./sql-transport";

/** Opens (or creates) a PGlite database and brings its schema up to date. */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir && !dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  await migratePglite(db);
  return db;
}

export async function migratePglite(db: PGlite): Promise<void> {
  await applyCompatIfMissing(db);
  await applyMigrations(db, await readMigrations());
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async execMulti(sql) {
      const results = await db.exec(sql);
      return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
    },
    close: () => db.close(),
  };
}
