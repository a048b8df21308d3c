// The embedded applier (lib/db/migrations.ts) must build exactly the schema `supabase db push`
// builds, on a Postgres server and on PGlite, and record the history so the CLI agrees with it.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyCompatIfMissing, applyMigrations, readMigrations } from "@/lib/db/migrations";
import { cliDbPush } from "../../scripts/lib/supabase-cli";
import { freshPglite } from "../support/pglite";
import { describeServer, emptyServerDatabase, migratedServerDatabase } from "../support/server";
import {
  type CatalogRow,
  type CatalogSnapshot,
  catalogDiff,
  catalogSnapshot,
  type Queryable,
} from "./support/catalog";
import { historyVersions, withClient } from "./support/migration-files";

type Scratch = Awaited<ReturnType<typeof emptyServerDatabase>>;

async function history(db: Queryable): Promise<{ version: string; name: string }[]> {
  // `statements` is left out on purpose: the CLI stores each statement separately, the applier
  // the whole file as one; neither reads them back.
  const { rows } = await db.query<{ version: string; name: string }>(
    `select version, name from supabase_migrations.schema_migrations order by version collate "C"`,
  );
  return rows;
}

/**
 * What legitimately differs between PGlite (PostgreSQL 18) and the server (PostgreSQL 15) for
 * the same SQL, and nothing else:
 * - PostgreSQL 18 records NOT NULL as constraints (contype 'n', named <table>_<column>_not_null);
 *   15 only sets attnotnull. Dropped here: `columns.not_null` still compares nullability.
 * - PostgreSQL 17 added the MAINTAIN table privilege, which owners hold by default; 15 has no
 *   such privilege, so no grant of it can be compared.
 */
function acrossVersions(snapshot: CatalogSnapshot): CatalogSnapshot {
  const withoutMaintain = (row: CatalogRow): CatalogRow => ({
    ...row,
    acl: (row.acl ?? "")
      .split(",")
      .filter((item) => !item.endsWith(":MAINTAIN") && !item.endsWith(":MAINTAIN*"))
      .join(","),
  });
  return {
    ...snapshot,
    constraints: snapshot.constraints.filter((c) => c.type !== "n"),
    tableGrants: snapshot.tableGrants.map(withoutMaintain),
  };
}

describeServer("schema parity: embedded applier and supabase db push", () => {
  let cli: Scratch;
  let app: Scratch;
  let cliCatalog: CatalogSnapshot;
  let cliHistory: { version: string; name: string }[];

  beforeAll(async () => {
    [cli, app] = await Promise.all([
      migratedServerDatabase("parcli"),
      emptyServerDatabase("parapp"),
    ]);
    [cliCatalog, cliHistory] = await withClient(cli.url, async (_c, db) => [
      await catalogSnapshot(db),
      await history(db),
    ]);
  });
  afterAll(async () => {
    await cli?.drop();
    await app?.drop();
  });

  it("the applier on a server database builds the CLI's schema and history", async () => {
    const migrations = await readMigrations();
    expect(cliHistory.map((h) => h.version)).toEqual(migrations.map((m) => m.version));
    await withClient(app.url, async (_client, db) => {
      expect(await applyCompatIfMissing(db)).toBe(true);
      expect(await applyMigrations(db, migrations)).toEqual(migrations.map((m) => m.version));
      const appCatalog = await catalogSnapshot(db);
      expect(catalogDiff(cliCatalog, appCatalog)).toEqual([]);
      expect(await history(db)).toEqual(cliHistory);
    });
  });

  it("the CLI takes the applier's history as its own, and the applier the CLI's", async () => {
    // Runs after the test above has migrated `app` with the applier.
    expect(await cliDbPush(app.url)).toContain("Remote database is up to date");
    await withClient(app.url, async (client, db) => {
      expect(await historyVersions(client)).toEqual(cliHistory.map((h) => h.version));
      expect(catalogDiff(cliCatalog, await catalogSnapshot(db))).toEqual([]);
    });
    await withClient(cli.url, async (_client, db) => {
      expect(await applyCompatIfMissing(db)).toBe(false);
      expect(await applyMigrations(db, await readMigrations())).toEqual([]);
      expect(catalogDiff(cliCatalog, await catalogSnapshot(db))).toEqual([]);
    });
  });

  it("a PGlite database migrated by the applier has the CLI's schema (across PG versions)", async () => {
    let pglite: PGlite | undefined;
    try {
      pglite = await freshPglite();
      const pgliteCatalog = acrossVersions(await catalogSnapshot(pglite));
      const serverCatalog = acrossVersions(cliCatalog);
      expect(catalogDiff(serverCatalog, pgliteCatalog)).toEqual([]);
      expect(await history(pglite)).toEqual(cliHistory);
      // The comparison is not vacuous: the sections it is about are populated.
      for (const section of [
        "columns",
        "indexes",
        "constraints",
        "functions",
        "policies",
      ] as const) {
        expect(pgliteCatalog[section].length, section).toBeGreaterThan(0);
      }
    } finally {
      await pglite?.close();
    }
  });
});
