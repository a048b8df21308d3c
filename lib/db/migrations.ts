// Applies supabase/compat (where missing) and supabase/migrations, recording each migration in
// supabase_migrations.schema_migrations exactly as the Supabase CLI does, so that a later
// `supabase db push` treats them as applied.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export type Migration = { version: string; name: string; file: string; sql: string };

/** A connection that can run a script (several statements) and a parameterised query. */
export type MigrationTarget = {
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
};

export function supabaseDir(root = process.cwd()): string {
  return path.join(root, "supabase");
}

const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

/** The migrations in the order the CLI applies them (versions compared as strings). */
export async function readMigrations(
  dir = path.join(supabaseDir(), "migrations"),
): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f));
  const migrations = await Promise.all(
    files.map(async (file) => {
      const [, version = "", name = ""] = MIGRATION_FILE.exec(file) ?? [];
      return { version, name, file, sql: await readFile(path.join(dir, file), "utf8") };
    }),
  );
  return migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

export async function readCompatSql(root = process.cwd()): Promise<string> {
  return readFile(path.join(supabaseDir(root), "compat", "supabase-platform.sql"), "utf8");
}

/** True when the database already has what Supabase provides (roles, auth schema, functions). */
export async function hasSupabasePlatform(db: MigrationTarget): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `select (select count(*) from pg_roles where rolname in ('anon', 'authenticated', 'service_role')) = 3
        and to_regclass('auth.users') is not null
        and to_regprocedure('auth.uid()') is not null
        and to_regprocedure('auth.jwt()') is not null as ok`,
  );
  return rows[0]?.ok === true;
}

export async function applyCompatIfMissing(
  db: MigrationTarget,
  root = process.cwd(),
): Promise<boolean> {
  if (await hasSupabasePlatform(db)) return false;
  await db.exec(await readCompatSql(root));
  return true;
}

// The CLI's history table (supabase/cli: pkg/migration/history.go).
const HISTORY_DDL = `
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
alter table supabase_migrations.schema_migrations add column if not exists statements text[];
alter table supabase_migrations.schema_migrations add column if not exists name text;
`;

/** Applies every migration not yet recorded, each in its own transaction. Returns their versions. */
export async function applyMigrations(
  db: MigrationTarget,
  migrations: Migration[],
): Promise<string[]> {
  await db.exec(HISTORY_DDL);
  const { rows } = await db.query<{ version: string }>(
    "select version from supabase_migrations.schema_migrations",
  );
  const applied = new Set(rows.map((r) => r.version));
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    await db.exec("begin");
    try {
      await db.exec(m.sql);
      await db.query(
        "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)",
        [m.version, m.name, [m.sql]],
      );
      await db.exec("commit");
    } catch (error) {
      await db.exec("rollback");
      throw new Error(`Migration ${m.file} failed: ${(error as Error).message}`, { cause: error });
    }
    done.push(m.version);
  }
  return done;
}
