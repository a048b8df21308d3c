// The embedded database's folder lock: two processes on one PGLITE_DIR. The second is refused
// with one sentence while the first keeps serving, and nothing the first wrote is lost.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirInUseError, openPglite } from "@/lib/db/pglite";

// A child process that opens the folder, writes a row, then waits for "exit" on stdin.
const HOLDER = `
import { openPglite } from "./lib/db/pglite.ts";
const db = await openPglite(process.env.LOCK_TEST_DIR);
await db.exec("create table if not exists lock_probe (n int); insert into lock_probe values (1)");
process.stdout.write("ready\\n");
process.stdin.on("data", async () => { await db.close(); process.exit(0); });
`;

function startHolder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", HOLDER], {
    cwd: process.cwd(),
    env: { ...process.env, LOCK_TEST_DIR: dir },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`holder exited early (${code})`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.stdin?.write("exit\n");
  });
}

describe("embedded database folder lock", () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), "pglite-lock-")), "pglite");
  });
  afterAll(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it("refuses a second process while the first holds the folder, and the first loses nothing", async () => {
    const holder = await startHolder(dir);
    try {
      const error = await openPglite(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirInUseError);
      expect((error as Error).message).toMatch(
        /^The embedded database in .* is in use by another process \(pid \d+ on .*\): .*\.$/,
      );
      expect((error as Error).message).not.toContain("\n");
    } finally {
      await stop(holder);
    }
    // Once the first has stopped, the folder opens, with the first one's row.
    const db = await openPglite(dir);
    try {
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from lock_probe");
      expect(rows[0]?.n).toBe(1);
      // And while this process holds it, a second open here is refused too.
      await expect(openPglite(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await db.close();
    }
  });

  it("frees the folder of a holder that was killed", async () => {
    const holder = await startHolder(dir);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    const db = await openPglite(dir);
    const { rows } = await db.query<{ n: number }>("select count(*)::int as n from lock_probe");
    expect(rows[0]?.n).toBe(2);
    await db.close();
  }, 60_000);
});
