// The embedded database: PGlite in a folder (default .data/pglite), migrated at start-up, and
// held by an exclusive lock for as long as the process has it open. PGlite is one process's
// database: a second process writing the same folder (say, during a rolling restart) loses rows
// and can leave the folder unreadable. So the second one is refused, and the first keeps serving.

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { applyCompatIfMissing, applyMigrations, readMigrations } from "./migrations";
import type { SqlExecutor } from "./sql-transport";

/** Another live process holds the data folder; its message is one sentence for start-up. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `The embedded database in ${dataDir} is in use by another process (${holder}): stop that process first, or set PGLITE_DIR to another folder.`,
    );
    this.name = "DataDirInUseError";
  }
}

type LockOwner = { pid: number; host: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as { code?: string }).code === "EPERM";
  }
}

/**
 * Takes the folder's lock: `<folder>/.lock`, created exclusively, holding the owner's pid and
 * host. A lock whose process is gone (killed, crashed) is taken over at once; one held by a live
 * process, or by another host sharing the folder, is refused. No timers: a busy event loop never
 * lets a second process in. (proper-lockfile's mtime leases were tried: a start-up that kept the
 * event loop busy past the lease let a second process in.)
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, ".lock");
  const me: LockOwner = { pid: process.pid, host: os.hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, JSON.stringify(me), { flag: "wx" });
      return async () => {
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
    let owner: Partial<LockOwner> = {};
    try {
      owner = JSON.parse(await readFile(file, "utf8")) as Partial<LockOwner>;
    } catch {
      // Half-written by a process that died while writing it: stale.
    }
    const here = owner.host === me.host;
    if (typeof owner.pid === "number" && (!here || isAlive(owner.pid))) {
      throw new DataDirInUseError(dataDir, `pid ${owner.pid} on ${owner.host}`);
    }
    await rm(file, { force: true });
  }
  throw new DataDirInUseError(dataDir, "another process starting at the same time");
}

/** Opens (or creates) a PGlite database and brings its schema up to date. */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (!dataDir || dataDir.startsWith("memory://")) {
    const db = await PGlite.create(dataDir);
    await migratePglite(db);
    return db;
  }
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  try {
    const db = await PGlite.create(dataDir);
    await migratePglite(db);
    const close = db.close.bind(db);
    db.close = async () => {
      await close();
      await unlock();
    };
    return db;
  } catch (error) {
    await unlock();
    throw error;
  }
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
