// The rollbacks of the two seed migrations (supabase/rollbacks/): apply → rollback gives back the
// schema as it was, and applying again gives the same schema as the first time; the same with
// the real Supabase CLI, whose history row the rollback removes so that `db push` re-applies it.
//
// Why the CLI case pushes only the migrations up to the one rolled back (a "prefix" workdir), and
// not a fully migrated database: with later migrations present, rolling back is not cleanly
// reversible by `supabase db push`, for reasons outside the rollback SQL itself:
// - the CLI refuses to apply a version older than the newest one it recorded ("Found local
//   migration files to be inserted before the last migration on remote database") unless given
//   --include-all;
// - even with --include-all the CLI re-applies only the rolled-back file, never the later ones:
//   rolling back 20251028 drops conversations.session_id and with it the later
//   20251101000000_chat_functions index idx_conversations_session_updated (session_id,
//   updated_at), which then stays missing; rolling back 20250627 and re-adding status, ended_at
//   and elevenlabs_session_id puts them after the 20251028 columns, so the table's column order
//   (what `select *` and row types see) differs from a database migrated in order.
// So the in-sequence case is what is tested; undoing a seed migration on a fully migrated
// database means rolling back the later migrations first.

import { afterAll, beforeAll, expect, it } from "vitest";
import { type Migration, readCompatSql, readMigrations } from "@/lib/db/migrations";
import { describeServer, emptyServerDatabase } from "../support/server";
import { catalogDiff, catalogSnapshot, rowCounts } from "./support/catalog";
import {
  applyScripts,
  cliPush,
  cliWorkdir,
  historyVersions,
  migrationByVersion,
  readRollback,
  SEED_000_VERSION,
  SEED_003_VERSION,
  withClient,
} from "./support/migration-files";

type Scratch = Awaited<ReturnType<typeof emptyServerDatabase>>;

/** Some rows in the tables as they are, so a rollback that loses data would show. */
async function insertRows(client: import("pg").Client): Promise<void> {
  const { rows } = await client.query<{ id: string }>(
    "insert into public.conversations (title) values ('Before the rollback') returning id",
  );
  const { rows: hasRole } = await client.query<{ ok: boolean }>(
    `select exists (select 1 from information_schema.columns
       where table_schema = 'public' and table_name = 'messages' and column_name = 'role') as ok`,
  );
  const columns = hasRole[0]?.ok ? "sender, role, content" : "sender, content";
  const values = hasRole[0]?.ok ? "$2, $2, $3" : "$2, $3";
  for (const [sender, content] of [
    ["user", "A question"],
    ["assistant", "An answer"],
  ]) {
    await client.query(
      `insert into public.messages (conversation_id, ${columns}) values ($1, ${values})`,
      [rows[0]?.id, sender, content],
    );
  }
}

/** The rows of conversations and messages without the columns the seed migrations add. */
async function baseRows(client: import("pg").Client) {
  const read = async (table: string) =>
    (
      await client.query<{ row: Record<string, unknown> }>(
        `select to_jsonb(t) - array['status', 'ended_at', 'elevenlabs_session_id', 'role',
            'audio_url', 'session_id', 'persona_id', 'is_guest_session', 'guest_message_count']
          as row from public.${table} t order by id`,
      )
    ).rows.map((r) => r.row);
  return { conversations: await read("conversations"), messages: await read("messages") };
}

for (const version of [SEED_003_VERSION, SEED_000_VERSION]) {
  describeServer(`rollback of seed migration ${version}`, () => {
    let migration: Migration;
    let earlier: Migration[];
    let rollback: string;
    const scratches: Scratch[] = [];

    beforeAll(async () => {
      const all = await readMigrations();
      migration = migrationByVersion(all, version);
      earlier = all.filter((m) => m.version < version);
      rollback = await readRollback(migration);
    });
    afterAll(async () => {
      for (const s of scratches) await s.drop();
    });

    it("apply → rollback restores the schema; applying again gives the same schema", async () => {
      const scratch = await emptyServerDatabase("rb");
      scratches.push(scratch);
      await withClient(scratch.url, async (client, db) => {
        await applyScripts(client, earlier);
        await insertRows(client);
        const before = await catalogSnapshot(db);
        const rowsBefore = await baseRows(client);
        const countsBefore = await rowCounts(db);

        await client.query(migration.sql);
        const after = await catalogSnapshot(db);
        expect(catalogDiff(before, after)).not.toEqual([]);

        await client.query(rollback);
        expect(catalogDiff(before, await catalogSnapshot(db))).toEqual([]);
        expect(await rowCounts(db)).toEqual(countsBefore);
        expect(await baseRows(client)).toEqual(rowsBefore);

        await client.query(migration.sql);
        expect(catalogDiff(after, await catalogSnapshot(db))).toEqual([]);
        expect(await baseRows(client)).toEqual(rowsBefore);

        // The rollback is as idempotent as the migrations: twice in a row is the same as once.
        await client.query(rollback);
        await client.query(rollback);
        expect(catalogDiff(before, await catalogSnapshot(db))).toEqual([]);
      });
    });

    it("with the CLI: the rollback removes the history row and `supabase db push` re-applies it", async () => {
      const scratch = await emptyServerDatabase("rbcli");
      scratches.push(scratch);
      const upTo = await cliWorkdir([...earlier, migration]);
      const onlyEarlier = await cliWorkdir(earlier);
      try {
        await withClient(scratch.url, async (client) => client.query(await readCompatSql()));
        await cliPush(scratch.url, ["--workdir", onlyEarlier.workdir]);
        const before = await withClient(scratch.url, (_c, db) => catalogSnapshot(db));

        const first = await cliPush(scratch.url, ["--workdir", upTo.workdir]);
        expect(first).toContain(`Applying migration ${migration.file}`);
        const after = await withClient(scratch.url, async (client, db) => {
          expect(await historyVersions(client)).toEqual(
            [...earlier, migration].map((m) => m.version),
          );
          return catalogSnapshot(db);
        });

        await withClient(scratch.url, async (client, db) => {
          await client.query(rollback);
          expect(await historyVersions(client)).toEqual(earlier.map((m) => m.version));
          expect(catalogDiff(before, await catalogSnapshot(db))).toEqual([]);
        });

        const again = await cliPush(scratch.url, ["--workdir", upTo.workdir]);
        expect(again).toContain(`Applying migration ${migration.file}`);
        await withClient(scratch.url, async (client, db) => {
          expect(await historyVersions(client)).toEqual(
            [...earlier, migration].map((m) => m.version),
          );
          expect(catalogDiff(after, await catalogSnapshot(db))).toEqual([]);
        });
      } finally {
        await upTo.remove();
        await onlyEarlier.remove();
      }
    });
  });
}
