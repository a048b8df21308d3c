// Landed migrations are append-only: supabase/migrations.sum holds each one's sha256, and this
// fails when a listed migration changes or disappears, or a new one is not listed yet. The checker
// is first shown to catch each case on a copy of the folder, then run on the real one.

import { cp, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMigrations } from "@/lib/db/migrations";
import {
  addNewMigrations,
  checkMigrationSums,
  MIGRATIONS_DIR,
  SUM_FILE,
  sha256,
} from "../../scripts/lib/migration-sums";

describe("the migration checksum check, on a copy of supabase/", () => {
  let root: string;
  let dir: string;
  let sums: string;
  const check = () => checkMigrationSums(dir, sums);

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "migration-sums-"));
    dir = path.join(root, "migrations");
    sums = path.join(root, "migrations.sum");
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    // Listed from scratch, so these cases do not depend on the real list (checked below).
    await writeFile(sums, "");
    await addNewMigrations(dir, sums);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("passes on an unchanged copy", async () => {
    expect(await check()).toEqual([]);
  });

  it("fails when one byte of a landed migration changes", async () => {
    const file = path.join(dir, "20251101000000_chat_functions.sql");
    const original = await readFile(file);
    const changed = Buffer.from(original);
    const at = changed.indexOf("nothing_to_retry");
    expect(at).toBeGreaterThan(0);
    changed[at] = "N".charCodeAt(0);
    await writeFile(file, changed);

    const problems = await check();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^20251101000000_chat_functions\.sql changed after it landed/);
    expect(problems[0]).toContain("put the change in a new migration file");

    await writeFile(file, original);
    expect(await check()).toEqual([]);
  });

  it("fails on a change that only touches whitespace or a comment", async () => {
    const file = path.join(dir, "20251101000100_default_personas.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- one more comment\n`);
    expect(await check()).toEqual([
      expect.stringMatching(/^20251101000100_default_personas\.sql changed after it landed/),
    ]);
  });

  it("fails when a landed migration is deleted or renamed", async () => {
    await rm(path.join(dir, "20251028_extend_conversations_for_personas.sql"));
    await rename(
      path.join(dir, "20250627_add_conversations_columns.sql"),
      path.join(dir, "20250627_add_columns.sql"),
    );
    const problems = await check();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^20251028_extend_conversations_for_personas\.sql is listed .* missing/,
        ),
        expect.stringMatching(/^20250627_add_conversations_columns\.sql is listed .* missing/),
        expect.stringMatching(/^20250627_add_columns\.sql is not listed/),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it("fails on a new migration that is not listed, saying which line to add", async () => {
    const file = "29991231000000_something_new.sql";
    const sql = "create table if not exists public.something_new (id int);\n";
    await writeFile(path.join(dir, file), sql);
    const problems = await check();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${file} is not listed in supabase/migrations.sum`);
    expect(problems[0]).toContain(`add the line "${sha256(sql)}  ${file}"`);

    // Listing it the way the message says makes the check pass; nothing else is rewritten.
    const before = await readFile(sums, "utf8");
    expect(await addNewMigrations(dir, sums)).toEqual([file]);
    expect(await readFile(sums, "utf8")).toBe(`${before}${sha256(sql)}  ${file}\n`);
    expect(await check()).toEqual([]);
  });

  it("never blesses an edit: adding new migrations keeps the recorded sum of a changed one", async () => {
    const file = path.join(dir, "20250601000000_base_schema.sql");
    await writeFile(file, `${await readFile(file, "utf8")} `);
    expect(await addNewMigrations(dir, sums)).toEqual([]);
    expect(await check()).toEqual([
      expect.stringMatching(/^20250601000000_base_schema\.sql changed/),
    ]);
  });

  it("fails on a sum file that is out of order, has a duplicate or a malformed line", async () => {
    const lines = (await readFile(sums, "utf8")).trimEnd().split("\n");
    await writeFile(sums, `${[...lines].reverse().join("\n")}\n`);
    expect(await check()).toEqual(["migrations.sum is not sorted by file name."]);

    await writeFile(sums, `${[lines[0], ...lines].join("\n")}\nnot a checksum line\n`);
    expect(await check()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/is listed twice in migrations\.sum/),
        expect.stringMatching(/is not "<sha256> {2}<file>": not a checksum line/),
      ]),
    );
  });

  it("refuses a .sql file the CLI would not apply", async () => {
    await writeFile(path.join(dir, "fix_personas.sql"), "select 1;\n");
    expect(await check()).toEqual([
      expect.stringMatching(/^fix_personas\.sql is not named <version>_<name>\.sql/),
    ]);
  });
});

describe("supabase/migrations.sum", () => {
  it("matches supabase/migrations: every migration listed, none changed or missing", async () => {
    const problems = await checkMigrationSums(MIGRATIONS_DIR, SUM_FILE);
    expect(problems, problems.join("\n")).toEqual([]);
    // Not vacuous: the list names exactly the migrations the embedded applier runs.
    const listed = (await readFile(SUM_FILE, "utf8")).trimEnd().split("\n");
    expect(listed.map((line) => line.slice(66))).toEqual(
      (await readMigrations()).map((m) => m.file).sort(),
    );
  });
});
