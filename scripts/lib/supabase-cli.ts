// Runs the real Supabase CLI (npm package `supabase`) against a database URL, and makes scratch
// databases on a Postgres server. Used by `npm run db:push`, `npm run db:types` and the tests.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const CLI = path.join(process.cwd(), "node_modules", ".bin", "supabase");

/** The URL with TLS turned off for local servers, so the CLI prints no TLS warning into stdout. */
export function cliUrl(url: string): string {
  const u = new URL(url);
  const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname);
  if (local && !u.searchParams.has("sslmode")) u.searchParams.set("sslmode", "disable");
  return u.toString();
}

export async function supabaseCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(CLI, args, {
    cwd: process.cwd(),
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, SUPABASE_YES: "1", DO_NOT_TRACK: "1" },
  });
}

export async function cliDbPush(url: string): Promise<string> {
  const { stdout, stderr } = await supabaseCli(["db", "push", `--remote=${cliUrl(url)}`, "--yes"]);
  return stdout + stderr;
}

export async function cliGenTypes(url: string): Promise<string> {
  const { stdout } = await supabaseCli(["gen", "types", "typescript", `--remote=${cliUrl(url)}`]);
  return stdout;
}

/** Creates an empty database next to the one `serverUrl` names; returns its URL and a drop(). */
export async function createScratchDatabase(
  serverUrl: string,
  prefix = "scratch",
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        // Pools that were just ended may still be closing their connections; wait for them
        // rather than kill them (a killed connection errors in whichever client still holds it).
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name}`);
            break;
          } catch (error) {
            const inUse = (error as { code?: string }).code === "55006";
            if (!inUse) throw error;
            if (attempt >= 40) {
              await c.query(`drop database if exists ${name} with (force)`);
              break;
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
