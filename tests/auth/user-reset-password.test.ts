// The operator's `npm run user:reset-password -- <email>` (scripts/user-reset-password.ts), run as
// the real command on a real embedded database folder: the new password (printed, or piped in)
// signs in and the old one no longer does, every session of the account ends, a throttled account
// can sign in again; a folder held by a running app, an unknown email and a weak password are
// refused with one sentence. The reset statement also runs on the PostgreSQL server.

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localSessionUser, localSignIn, localSignUp } from "@/lib/auth/local-auth";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import { pgExecutor } from "@/lib/db/pg";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { createPort } from "@/lib/db/port";
import { createSqlTransport } from "@/lib/db/sql-transport";
import type { DbPort } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { generatePassword, resetUserPassword } from "@/scripts/user-reset-password";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";

const OLD_PASSWORD = "Violet-harbour-42";
const ROOMY = { maxPerIp: 1_000, windowSeconds: 3_600 };
const IP = "192.0.2.7";

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the npm script's command line, as an operator would, with `stdin` piped in. */
function runScript(dataDir: string, args: string[], stdin = ""): Promise<Run> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/user-reset-password.ts", ...args],
    {
      cwd: process.cwd(),
      env: {
        ...process.env,
        PGLITE_DIR: dataDir,
        DATABASE_URL: "",
        NEXT_PUBLIC_SUPABASE_URL: "",
        NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
        NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
        SUPABASE_SECRET_KEY: "",
        SUPABASE_SERVICE_ROLE_KEY: "",
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

async function openPort(dataDir: string): Promise<{ db: PGlite; port: DbPort }> {
  const db = await openPglite(dataDir);
  return { db, port: createPort(createSqlTransport(pgliteExecutor(db))) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof AppError ? error.code : `non-app-error: ${String(error)}`;
  }
}

describe("npm run user:reset-password on the embedded database", () => {
  let dataDir: string;
  let sessionIds: string[];
  const email = "Ada.Operator@example.com";

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "reset-password-"));
    const { db, port } = await openPort(path.join(dataDir, "pglite"));
    const created = await localSignUp(port, { email, password: OLD_PASSWORD, ip: IP }, ROOMY);
    const laptop = await localSignIn(port, { email, password: OLD_PASSWORD, ip: IP });
    sessionIds = [created.session.id, laptop.session.id];
    // Five wrong guesses from this address: its next sign-in is throttled.
    for (let i = 0; i < 5; i++) {
      await codeOf(localSignIn(port, { email, password: `Wrong-guess-${i}9`, ip: IP }));
    }
    expect(await codeOf(localSignIn(port, { email, password: OLD_PASSWORD, ip: IP }))).toBe(
      "too_many_attempts",
    );
    await db.close();
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("prints a new password that signs in, ends every session and lifts the throttle", async () => {
    const run = await runScript(path.join(dataDir, "pglite"), ["--", email.toLowerCase()]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Password reset for ${email.toLowerCase()}; 2 sessions signed out on every device.`,
    );
    const printed = /New password: (\S+)/.exec(run.stdout)?.[1] ?? "";
    expect(printed).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);

    const { db, port } = await openPort(path.join(dataDir, "pglite"));
    try {
      for (const id of sessionIds) await expect(localSessionUser(port, id)).resolves.toBeNull();
      expect(
        await codeOf(localSignIn(port, { email, password: OLD_PASSWORD, ip: "192.0.2.8" })),
      ).toBe("invalid_credentials");
      // From the throttled address too: the operator's reset forgave the failures.
      const signedIn = await localSignIn(port, { email, password: printed, ip: IP });
      expect(signedIn.user.email).toBe(email.toLowerCase());
    } finally {
      await db.close();
    }
  });

  it("sets a password piped on stdin, and does not print it", async () => {
    const chosen = "Copper-lantern-road-77";
    const run = await runScript(path.join(dataDir, "pglite"), [email], `${chosen}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(chosen);
    expect(run.stdout).not.toContain("New password");
    const { db, port } = await openPort(path.join(dataDir, "pglite"));
    try {
      await expect(localSignIn(port, { email, password: chosen, ip: IP })).resolves.toMatchObject({
        user: { email: email.toLowerCase() },
      });
    } finally {
      await db.close();
    }
  });

  it("refuses while the app holds the embedded database, saying to stop it first", async () => {
    const { db } = await openPort(path.join(dataDir, "pglite"));
    try {
      const run = await runScript(path.join(dataDir, "pglite"), [email]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("is in use by another process");
      expect(run.stderr).toContain("locked while the app runs: stop the app");
    } finally {
      await db.close();
    }
  });

  it("refuses an unknown email, a weak password and a missing email", async () => {
    const unknown = await runScript(path.join(dataDir, "pglite"), ["nobody@example.com"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No account has the email nobody@example.com.");

    const weak = await runScript(path.join(dataDir, "pglite"), [email], "password1\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("That password is refused:");

    const usage = await runScript(path.join(dataDir, "pglite"), []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run user:reset-password -- <email>");
  });

  it("generates passwords that the sign-up policy accepts, never the same twice", () => {
    const seen = new Set(Array.from({ length: 50 }, generatePassword));
    expect(seen.size).toBe(50);
    for (const password of seen) expect(passwordProblem(password, email)).toBeNull();
  });
});

describeServer("the reset statement on the PostgreSQL server", () => {
  it("sets the hash and ends the sessions of that account only", async () => {
    const scratch = await migratedServerDatabase("reset");
    const { port, pool } = serverPort(scratch.url, 2);
    try {
      const mine = await localSignUp(
        port,
        { email: "grace@example.com", password: OLD_PASSWORD, ip: IP },
        ROOMY,
      );
      const theirs = await localSignUp(
        port,
        { email: "other@example.com", password: OLD_PASSWORD, ip: "192.0.2.9" },
        ROOMY,
      );
      // The script's own executor over this server (its close would end the shared pool).
      const executor = pgExecutor(pool);
      const outcome = await resetUserPassword(
        executor,
        "GRACE@example.com",
        await hashPassword("Copper-lantern-road-77"),
      );
      expect(outcome).toEqual({ userId: mine.user.id, sessionsRevoked: 1 });
      await expect(localSessionUser(port, mine.session.id)).resolves.toBeNull();
      await expect(localSessionUser(port, theirs.session.id)).resolves.toMatchObject({
        email: "other@example.com",
      });
      await expect(
        localSignIn(port, {
          email: "grace@example.com",
          password: "Copper-lantern-road-77",
          ip: IP,
        }),
      ).resolves.toMatchObject({ user: { id: mine.user.id } });
    } finally {
      await pool.end();
      await scratch.drop();
    }
  });
});
