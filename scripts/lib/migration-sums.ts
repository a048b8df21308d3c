// The committed checksums of the landed migrations (supabase/migrations.sum): a landed migration
// is history that databases have recorded as applied, so it is never edited, renamed or deleted;
// a change is a new migration file. tests/db/migration-sums.test.ts runs the check.
//
// The file is `sha256sum` output, one `<sha256>  <file>` line per migration, sorted by file name,
// so `cd supabase/migrations && sha256sum -c ../migrations.sum` checks it too. To list a new
// migration: `npx tsx scripts/lib/migration-sums.ts add` (it appends; it never rewrites a line).

import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type SumEntry = { sha256: string; file: string };

// The names the Supabase CLI applies (pkg/migration: `^([0-9]+)_(.*)\.sql$`).
const MIGRATION_FILE = /^\d+_.+\.sql$/;
const SUM_LINE = /^([0-9a-f]{64}) {2}(\S+)$/;

export function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function formatSumLine(entry: SumEntry): string {
  return `${entry.sha256}  ${entry.file}`;
}

/** The checksum of every migration file in `dir`, sorted by file name. */
export async function computeSums(dir: string): Promise<SumEntry[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({ file, sha256: sha256(await readFile(path.join(dir, file))) })),
  );
}

/** Parses the sum file; a line that is not `<sha256>  <file>` is reported, not skipped. */
export function parseSums(text: string): { entries: SumEntry[]; problems: string[] } {
  const entries: SumEntry[] = [];
  const problems: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const match = SUM_LINE.exec(line);
    if (!match) {
      problems.push(`migrations.sum line ${i + 1} is not "<sha256>  <file>": ${line}`);
      return;
    }
    entries.push({ sha256: match[1] ?? "", file: match[2] ?? "" });
  });
  return { entries, problems };
}

/**
 * Everything wrong between `migrationsDir` and its sum file, one sentence each (empty when they
 * agree): a listed migration that changed or is gone, a migration that is not listed, a sum file
 * that is out of order, and a .sql file the CLI would not apply.
 */
export async function checkMigrationSums(
  migrationsDir: string,
  sumFile: string,
): Promise<string[]> {
  const { entries, problems } = parseSums(await readFile(sumFile, "utf8"));
  const actual = new Map((await computeSums(migrationsDir)).map((e) => [e.file, e.sha256]));
  const listed = new Set<string>();

  for (const { file, sha256: recorded } of entries) {
    if (listed.has(file)) problems.push(`${file} is listed twice in migrations.sum.`);
    listed.add(file);
    const now = actual.get(file);
    if (now === undefined) {
      problems.push(
        `${file} is listed in migrations.sum but is missing from supabase/migrations: a landed migration is never renamed or deleted, restore it.`,
      );
    } else if (now !== recorded) {
      problems.push(
        `${file} changed after it landed (sha256 ${recorded.slice(0, 12)}… recorded, ${now.slice(0, 12)}… now): landed migrations are append-only, so restore it and put the change in a new migration file.`,
      );
    }
  }

  const files = entries.map((e) => e.file);
  if (files.join("\n") !== [...files].sort().join("\n")) {
    problems.push("migrations.sum is not sorted by file name.");
  }

  for (const [file, hash] of actual) {
    if (listed.has(file)) continue;
    problems.push(
      `${file} is not listed in supabase/migrations.sum: add the line "${formatSumLine({ file, sha256: hash })}" (or run \`npx tsx scripts/lib/migration-sums.ts add\`), keeping the list sorted.`,
    );
  }

  for (const file of await readdir(migrationsDir)) {
    if (file.endsWith(".sql") && !MIGRATION_FILE.test(file)) {
      problems.push(
        `${file} is not named <version>_<name>.sql, so the Supabase CLI would not apply it.`,
      );
    }
  }
  return problems;
}

/** Appends the migrations that are not listed yet; listed lines are kept exactly as they are. */
export async function addNewMigrations(migrationsDir: string, sumFile: string): Promise<string[]> {
  const text = await readFile(sumFile, "utf8").catch(() => "");
  const { entries, problems } = parseSums(text);
  if (problems.length) throw new Error(problems.join("\n"));
  const listed = new Set(entries.map((e) => e.file));
  const added = (await computeSums(migrationsDir)).filter((e) => !listed.has(e.file));
  const lines = [...entries, ...added]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map(formatSumLine);
  await writeFile(sumFile, `${lines.join("\n")}\n`);
  return added.map((e) => e.file);
}

export const MIGRATIONS_DIR = path.join(process.cwd(), "supabase", "migrations");
export const SUM_FILE = path.join(process.cwd(), "supabase", "migrations.sum");

async function main(): Promise<void> {
  if (process.argv[2] !== "add") {
    console.error("Usage: npx tsx scripts/lib/migration-sums.ts add");
    process.exit(1);
  }
  const added = await addNewMigrations(MIGRATIONS_DIR, SUM_FILE);
  console.log(added.length ? `listed ${added.join(", ")}` : "every migration is listed already");
  const problems = await checkMigrationSums(MIGRATIONS_DIR, SUM_FILE);
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
