// The embedded database: PGlite in a folder (default .data/pglite), migrated at start-up, and
// held by an exclusive lock for as long as the process has it open. PGlite is one process's
// database: a second process writing the same folder (say, during a rolling restart) loses rows
// and can leave the folder unreadable. So the second one is refused, and the first keeps serving.

import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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

const codeOf = (error: unknown) => (error as { code?: string }).code;

/** Reads the lock file: its raw text (null if there is none) and the owner it names. */
async function readLock(file: string): Promise<{ raw: string | null; owner: Partial<LockOwner> }> {
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    if (codeOf(error) === "ENOENT") return { raw: null, owner: {} };
    throw error;
  }
  try {
    return { raw, owner: JSON.parse(raw) as Partial<LockOwner> };
  } catch {
    return { raw, owner: {} };
  }
}

/**
 * Takes the folder's lock: `<folder>/.lock`, holding the owner's pid and host. It is written in
 * full to a file of its own, then hard-linked into place, which fails if a lock exists: so a
 * lock is never seen empty or half-written. A lock whose process is gone (killed, crashed) is
 * taken over: moved aside (rename is atomic, so only one starter moves it), checked to be the
 * stale one it read (if another starter's fresh lock was moved instead, it is put back), then
 * removed. One held by a live process, or by another host sharing the folder, is refused. No
 * timers: a busy event loop never lets a second process in. (proper-lockfile's mtime leases were
 * tried: a start-up that kept the event loop busy past the lease let a second process in.)
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, ".lock");
  const me: LockOwner = { pid: process.pid, host: os.hostname() };
  const mine = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(mine, JSON.stringify(me), { flag: "wx" });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(mine, file);
        return async () => {
          await rm(file, { force: true });
        };
      } catch (error) {
        if (codeOf(error) !== "EEXIST") throw error;
      }
      const seen = await readLock(file);
      if (seen.raw === null) continue; // released meanwhile: try again
      const { owner } = seen;
      const here = owner.host === me.host;
      if (typeof owner.pid === "number" && (!here || isAlive(owner.pid))) {
        throw new DataDirInUseError(dataDir, `pid ${owner.pid} on ${owner.host}`);
      }
      // Stale (its process is gone, or it names no process): move it aside, then make sure it
      // was that stale lock that moved, not one another starter took meanwhile.
      const aside = `${file}.stale.${randomUUID()}`;
      try {
        await rename(file, aside);
      } catch (error) {
        if (codeOf(error) === "ENOENT") continue; // another starter moved it first
        throw error;
      }
      const moved = await readLock(aside);
      if (moved.raw !== seen.raw) {
        // A live starter's fresh lock: put it back (unless yet another lock is there by now).
        await link(aside, file).catch(() => undefined);
        await rm(aside, { force: true });
        const { owner: holder } = moved;
        throw new DataDirInUseError(dataDir, `pid ${holder.pid} on ${holder.host}`);
      }
      await rm(aside, { force: true });
    }
    throw new DataDirInUseError(dataDir, "another process starting at the same time");
  } finally {
    await rm(mine, { force: true });
  }
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
