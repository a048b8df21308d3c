// PGlite start-up figures: a new data folder (create + migrate), reopening it, loading a
// migrated snapshot, and clone(). Printed by `npm run bench` before the load test.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { openPglite } from "../lib/db/pglite";

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  console.log(`${label.padEnd(34)} ${(performance.now() - started).toFixed(0)} ms`);
  return result;
}

export async function benchPglite(): Promise<void> {
  console.log("\n== PGlite start-up ==");
  const dir = await mkdtemp(path.join(tmpdir(), "pglite-bench-"));
  try {
    const fresh = await time("new data folder (create + migrate)", () => openPglite(dir));
    await fresh.close();
    const reopened = await time("reopen the migrated folder", () => openPglite(dir));
    const snapshot = await reopened.dumpDataDir("none");
    const clone = await time("clone() of an open database", () => reopened.clone());
    await clone.close();
    await reopened.close();
    const loaded = await time("load a migrated snapshot", () =>
      PGlite.create({ loadDataDir: snapshot }),
    );
    await loaded.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
