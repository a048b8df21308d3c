// Helpers for the migration suites: a pg client as a MigrationTarget, running the project's SQL
// files in version order, the real CLI with the flags the suites need, and the CLI's history.

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import {
  type Migration,
  type MigrationTarget,
  readCompatSql,
  readMigrations,
  supabaseDir,
} from "@/lib/db/migrations";
import { cliUrl, supabaseCli } from "../../../scripts/lib/supabase-cli";

/** The versions of the two seed migrations (docs/seeds/003_… and 000_…). */
export const SEED_003_VERSION = "20250627";
export const SEED_000_VERSION = "20251028";

/** A pg client as the embedded applier's target: one connection, so begin/commit hold. */
export function pgTarget(client: pg.Client): MigrationTarget {
  return {
    exec: (sql) => client.query(sql),
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[] };
    },
  };
}

/** Connects to `url`, runs `fn` with the client (and its MigrationTarget view), disconnects. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client, db: MigrationTarget) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // Migrations print NOTICEs (e.g. "already exists, skipping"); they are expected, not errors.
  client.on("notice", () => {});
  await client.connect();
  try {
    return await fn(client, pgTarget(client));
  } finally {
    await client.end();
  }
}

/** A migration by version, failing loudly if the file is missing. */
export function migrationByVersion(migrations: Migration[], version: string): Migration {
  const found = migrations.find((m) => m.version === version);
  if (!found) throw new Error(`No migration with version ${version} in supabase/migrations.`);
  return found;
}

/** The rollback SQL of a migration: supabase/rollbacks/<file without .sql>.down.sql. */
export async function readRollback(migration: Migration): Promise<string> {
  const file = migration.file.replace(/\.sql$/, ".down.sql");
  return readFile(path.join(supabaseDir(), "rollbacks", file), "utf8");
}

/** Runs the compat SQL and then each migration's SQL as a plain script (no history rows). */
export async function applyScripts(client: pg.Client, migrations: Migration[]): Promise<void> {
  await client.query(await readCompatSql());
  for (const m of migrations) {
    try {
      await client.query(m.sql);
    } catch (error) {
      throw new Error(`${m.file}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** The migrations whose version sorts before `version` (the CLI compares them as strings). */
export async function migrationsBefore(version: string): Promise<Migration[]> {
  return (await readMigrations()).filter((m) => m.version < version);
}

/** `supabase db push --remote=<url> --yes` with extra flags, e.g. --include-all or --workdir. */
export async function cliPush(url: string, extra: string[] = []): Promise<string> {
  const { stdout, stderr } = await supabaseCli([
    "db",
    "push",
    `--remote=${cliUrl(url)}`,
    "--yes",
    ...extra,
  ]);
  return stdout + stderr;
}

/**
 * A throwaway CLI project folder whose supabase/migrations holds only `migrations`, so the real
 * CLI can push a prefix of the history (pass its `--workdir`). Returns the path and a cleanup.
 */
export async function cliWorkdir(
  migrations: Migration[],
): Promise<{ workdir: string; remove: () => Promise<void> }> {
  const workdir = await mkdtemp(path.join(tmpdir(), "cli-workdir-"));
  const dir = path.join(workdir, "supabase", "migrations");
  await mkdir(dir, { recursive: true });
  for (const m of migrations) await writeFile(path.join(dir, m.file), m.sql);
  return { workdir, remove: () => rm(workdir, { recursive: true, force: true }) };
}

/** The versions in the CLI's history table, in version order (empty when it does not exist). */
export async function historyVersions(client: pg.Client): Promise<string[]> {
  const { rows: exists } = await client.query<{ ok: boolean }>(
    "select to_regclass('supabase_migrations.schema_migrations') is not null as ok",
  );
  if (!exists[0]?.ok) return [];
  const { rows } = await client.query<{ version: string }>(
    `select version from supabase_migrations.schema_migrations order by version collate "C"`,
  );
  return rows.map((r) => r.version);
}
