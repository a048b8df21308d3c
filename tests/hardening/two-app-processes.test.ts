// Issue 9, finding 1: two app processes on one PGLITE_DIR. Each process here starts as the server
// does (instrumentation.ts → the settings, then the embedded database and its folder lock; see
// tests/support/embedded-app-child.ts) and writes through the app's own reply code:
// - a second process stops at start-up with one sentence, while the first keeps serving, and
//   after a restart the folder opens with every row the first one wrote;
// - a holder that was killed (SIGKILL) leaves a lock that the next start takes over, even when
//   several start at once after the crash (exactly one wins).

import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "@/lib/db/pglite";
import { SNAPSHOT } from "../global-setup";

type App = {
  child: ChildProcess;
  /** Resolves true once the process printed "ready", false if it exited first. */
  ready: Promise<boolean>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  /** Sends a command and resolves with its answer line. */
  command(line: "post"): Promise<string>;
  stop(): Promise<number | null>;
};

function startApp(dataDir: string): App {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/support/embedded-app-child.ts"],
    {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        NEXT_RUNTIME: "nodejs",
        PGLITE_DIR: dataDir,
        BUILTIN_ENGINE_DELAY_MS: "0",
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    // Only the protocol's lines; the app's own logging goes by.
    for (const line of parts.filter((l) => l === "ready" || l.startsWith("posted "))) {
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => {
      const line = lines.shift();
      if (line !== undefined) resolve(line);
      else waiting.push(resolve);
    });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = Promise.race([
    nextLine().then((line) => line === "ready"),
    exited.then(() => false),
  ]);
  return {
    child,
    ready,
    exited,
    stderr: () => stderr,
    command: (line) => {
      child.stdin?.write(`${line}\n`);
      return nextLine();
    },
    stop: async () => {
      child.stdin?.write("exit\n");
      return (await exited).code;
    },
  };
}

/** What a refused start printed: the one sentence of lib/db/startup.ts, naming the holder. */
function expectRefusedWithOneSentence(stderr: string, dataDir: string, holderPid?: number) {
  const lines = stderr
    .split("\n")
    .filter((line) => line.trim() !== "" && !/deprecated/i.test(line));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^Persona Chat cannot start: The embedded database in .+ is in use by another process \(pid \d+ on .+\): stop that process first, or set PGLITE_DIR to another folder\.$/,
  );
  expect(lines[0]).toContain(dataDir);
  if (holderPid) expect(lines[0]).toContain(`(pid ${holderPid} on `);
}

/** Opens the folder as a restarted app would, and counts what is in it. */
async function contents(dataDir: string) {
  const db = await openPglite(dataDir);
  try {
    const { rows } = await db.query<{ conversations: number; messages: number }>(
      `select (select count(*)::int from public.conversations) as conversations,
              (select count(*)::int from public.messages) as messages`,
    );
    return rows[0];
  } finally {
    await db.close();
  }
}

describe("two app processes on one PGLITE_DIR", () => {
  let root: string;
  /** A migrated data folder (from the test run's snapshot), copied for each test. */
  let seed: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "two-apps-"));
    seed = path.join(root, "seed", "pglite");
    await mkdir(path.dirname(seed), { recursive: true });
    const db = await PGlite.create(seed, { loadDataDir: new Blob([await readFile(SNAPSHOT)]) });
    await db.close();
  });
  /** A new data folder, already migrated, so a start does not spend its time migrating. */
  async function folder(name: string): Promise<string> {
    const dataDir = path.join(root, name, "pglite");
    await cp(seed, dataDir, { recursive: true });
    return dataDir;
  }
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("the second stops at start-up with one sentence; the first keeps serving and loses nothing", async () => {
    const dataDir = await folder("rolling");
    const first = startApp(dataDir);
    expect(await first.ready).toBe(true);
    const before = [await first.command("post"), await first.command("post")];

    // A rolling restart starts the new process while the old one still runs.
    const second = startApp(dataDir);
    expect(await second.ready).toBe(false);
    expect((await second.exited).code).toBe(1);
    expectRefusedWithOneSentence(second.stderr(), dataDir, first.child.pid);

    // The first one never noticed: it goes on writing.
    const after = [await first.command("post"), await first.command("post")];
    for (const answer of [...before, ...after]) expect(answer).toMatch(/^posted [0-9a-f-]{36}$/);
    expect(await first.stop()).toBe(0);

    // After the restart the folder opens cleanly, with all four exchanges.
    expect(await contents(dataDir)).toEqual({ conversations: 4, messages: 8 });
  }, 120_000);

  it("after the holder is killed, of three processes starting at once exactly one takes over", async () => {
    const dataDir = await folder("after-crash");
    const holder = startApp(dataDir);
    expect(await holder.ready).toBe(true);
    expect(await holder.command("post")).toMatch(/^posted /);
    holder.child.kill("SIGKILL");
    expect((await holder.exited).signal).toBe("SIGKILL");

    const apps = [startApp(dataDir), startApp(dataDir), startApp(dataDir)];
    const ready = await Promise.all(apps.map((app) => app.ready));
    console.log(`after a crash, three starts at once: ${ready.filter(Boolean).length} ran`);
    const running = apps.filter((_, i) => ready[i]);
    try {
      expect(running).toHaveLength(1);
    } finally {
      for (const app of running) await app.stop();
    }
    for (const app of apps.filter((_, i) => !ready[i])) {
      expect((await app.exited).code).toBe(1);
      expectRefusedWithOneSentence(app.stderr(), dataDir, running[0]?.child.pid);
    }
    expect(await contents(dataDir)).toEqual({ conversations: 1, messages: 2 });
  }, 120_000);
});
