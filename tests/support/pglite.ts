// A fresh, migrated PGlite database per test (loaded from the snapshot tests/global-setup.ts made).

import { readFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteExecutor } from "@/lib/db/pglite";
import { createPort } from "@/lib/db/port";
import { createSqlTransport } from "@/lib/db/sql-transport";
import type { DbPort } from "@/lib/db/types";

const SNAPSHOT = path.join(
  process.cwd(),
  "node_modules",
  ".cache",
  "persona-chat",
  "pglite-snapshot.tar",
);

export async function freshPglite(): Promise<PGlite> {
  const tar = await readFile(SNAPSHOT);
  return PGlite.create({ loadDataDir: new Blob([tar]) });
}

export async function freshPglitePort(): Promise<{ db: PGlite; port: DbPort }> {
  const db = await freshPglite();
  return { db, port: createPort(createSqlTransport(pgliteExecutor(db))) };
}
