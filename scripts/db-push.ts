// `npm run db:push`: applies supabase/migrations to DATABASE_URL with the real Supabase CLI
// (`supabase db push --remote=<url> --yes`). On a plain Postgres it first applies
// supabase/compat/supabase-platform.sql; on a Supabase database (roles and auth schema present)
// it never does.

import { pathToFileURL } from "node:url";
import pg from "pg";
import { applyCompatIfMissing, type MigrationTarget } from "../lib/db/migrations";
import { cliDbPush } from "./lib/supabase-cli";

export type DbPushResult = { compatApplied: boolean; applied: string[]; cliOutput: string };

/** The URL without its password, for messages. */
export function describeTarget(url: string): string {
  const u = new URL(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

async function withTarget<T>(url: string, fn: (db: MigrationTarget) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("notice", () => {});
  await client.connect();
  try {
    return await fn({
      exec: (sql) => client.query(sql),
      query: async <R>(sql: string, params?: unknown[]) => ({
        rows: (await client.query(sql, params)).rows as R[],
      }),
    });
  } finally {
    await client.end();
  }
}

async function recordedVersions(db: MigrationTarget): Promise<string[]> {
  // The CLI creates its history table on the first push; a new database has none yet.
  const { rows: table } = await db.query<{ ok: boolean }>(
    "select to_regclass('supabase_migrations.schema_migrations') is not null as ok",
  );
  if (!table[0]?.ok) return [];
  const { rows } = await db.query<{ version: string }>(
    `select version from supabase_migrations.schema_migrations order by version collate "C"`,
  );
  return rows.map((r) => r.version);
}

/** Brings the database at `url` up to date; `log` receives one line per step. */
export async function dbPush(
  url: string,
  log: (line: string) => void = console.log,
): Promise<DbPushResult> {
  const target = describeTarget(url);
  const { compatApplied, before } = await withTarget(url, async (db) => ({
    compatApplied: await applyCompatIfMissing(db),
    before: await recordedVersions(db),
  }));
  log(
    compatApplied
      ? `${target}: Supabase roles/auth schema missing, applied supabase/compat/supabase-platform.sql.`
      : `${target}: Supabase roles and auth schema present, compat SQL not applied.`,
  );
  const cliOutput = await cliDbPush(url);
  for (const line of cliOutput.trim().split("\n")) if (line.trim()) log(`  supabase: ${line}`);
  const after = await withTarget(url, recordedVersions);
  const applied = after.filter((v) => !before.includes(v));
  log(
    applied.length > 0
      ? `${target}: applied ${applied.length} migration(s): ${applied.join(", ")}.`
      : `${target}: already up to date (${after.length} migrations recorded).`,
  );
  return { compatApplied, applied, cliOutput };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_URL is not set: point it at the Postgres database to migrate, e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run db:push.",
    );
    process.exit(1);
  }
  try {
    new URL(url);
  } catch {
    console.error(
      "DATABASE_URL is not a valid URL: expected postgresql://user:password@host:port/database.",
    );
    process.exit(1);
  }
  try {
    await dbPush(url);
  } catch (error) {
    const e = error as Error & { stderr?: string; stdout?: string };
    const detail = (e.stderr || e.stdout || e.message).trim();
    console.error(`db:push failed on ${describeTarget(url)}: ${detail}`);
    process.exit(1);
  }
}

// Run only as a script (`tsx scripts/db-push.ts`), not when a test imports dbPush.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
