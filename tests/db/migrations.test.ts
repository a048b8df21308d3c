// The migrations on a real Postgres server, applied by the real Supabase CLI: the history it
// records, the seed documents' verification queries, legacy data carried through, idempotency,
// and `npm run db:push`.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Migration, readCompatSql, readMigrations } from "@/lib/db/migrations";
import { dbPush } from "../../scripts/db-push";
import { cliDbPush, cliUrl, supabaseCli } from "../../scripts/lib/supabase-cli";
import { describeServer, emptyServerDatabase } from "../support/server";
import { catalogDiff, catalogSnapshot, rowCounts } from "./support/catalog";
import {
  applyScripts,
  cliPush,
  historyVersions,
  migrationsBefore,
  SEED_003_VERSION,
  withClient,
} from "./support/migration-files";
import {
  SEED_000_COLUMNS_QUERY,
  SEED_000_FILE,
  SEED_000_FOREIGN_KEY_QUERY,
  SEED_000_INDEXES_QUERY,
  SEED_003_ENUM_QUERY,
  SEED_003_FILE,
} from "./support/seed-queries";

type Scratch = Awaited<ReturnType<typeof emptyServerDatabase>>;

// The two seed documents the schema grew from, kept in the repo.
const SEEDS_DIR = path.resolve(process.cwd(), "docs", "seeds");

it("the verification queries are verbatim copies of the seeds", async () => {
  const seed000 = await readFile(path.join(SEEDS_DIR, SEED_000_FILE), "utf8");
  const seed003 = await readFile(path.join(SEEDS_DIR, SEED_003_FILE), "utf8");
  for (const query of [
    SEED_000_COLUMNS_QUERY,
    SEED_000_INDEXES_QUERY,
    SEED_000_FOREIGN_KEY_QUERY,
  ]) {
    expect(seed000).toContain(query);
  }
  expect(seed003).toContain(SEED_003_ENUM_QUERY);
});

describeServer("supabase db push on a fresh database", () => {
  let scratch: Scratch;
  let migrations: Migration[];
  let pushOutput: string;

  beforeAll(async () => {
    migrations = await readMigrations();
    scratch = await emptyServerDatabase("mig");
    await withClient(scratch.url, async (client) => client.query(await readCompatSql()));
    pushOutput = await cliDbPush(scratch.url);
  });
  afterAll(() => scratch?.drop());

  it("records every migration file's version in supabase_migrations.schema_migrations", async () => {
    expect(migrations.length).toBeGreaterThanOrEqual(4);
    for (const m of migrations) expect(pushOutput).toContain(`Applying migration ${m.file}`);
    const versions = await withClient(scratch.url, historyVersions);
    expect(versions).toEqual(migrations.map((m) => m.version));
    // A second push finds nothing to do.
    expect(await cliDbPush(scratch.url)).toContain("Remote database is up to date");
    expect(await withClient(scratch.url, historyVersions)).toEqual(versions);
  });

  it("seed 000: the columns query returns exactly the four expected rows", async () => {
    const { rows } = await withClient(scratch.url, (c) => c.query(SEED_000_COLUMNS_QUERY));
    // The seed lists session_id (text, YES, NULL), persona_id (uuid, YES, NULL),
    // is_guest_session (boolean, YES, false), guest_message_count (integer, YES, 0); the query
    // orders them by name, and Postgres reports the defaults as the text 'false' and '0'.
    expect(rows).toEqual([
      {
        column_name: "guest_message_count",
        data_type: "integer",
        is_nullable: "YES",
        column_default: "0",
      },
      {
        column_name: "is_guest_session",
        data_type: "boolean",
        is_nullable: "YES",
        column_default: "false",
      },
      { column_name: "persona_id", data_type: "uuid", is_nullable: "YES", column_default: null },
      { column_name: "session_id", data_type: "text", is_nullable: "YES", column_default: null },
    ]);
  });

  it("seed 000: the indexes query returns the two indexes on the seed's columns", async () => {
    const { rows } = await withClient(scratch.url, (c) => c.query(SEED_000_INDEXES_QUERY));
    const byName = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
    expect(rows).toHaveLength(2);
    expect(byName).toEqual({
      idx_conversations_persona:
        "CREATE INDEX idx_conversations_persona ON public.conversations USING btree (persona_id)",
      idx_conversations_guest_session:
        "CREATE INDEX idx_conversations_guest_session ON public.conversations USING btree (session_id, is_guest_session)",
    });
  });

  it("seed 000: the foreign key query returns one row, persona_id references personas(id)", async () => {
    const { rows } = await withClient(scratch.url, (c) => c.query(SEED_000_FOREIGN_KEY_QUERY));
    expect(rows).toEqual([
      {
        constraint_name: expect.any(String),
        table_name: "conversations",
        column_name: "persona_id",
        foreign_table_name: "personas",
        foreign_column_name: "id",
      },
    ]);
    // "ON DELETE default (no action)": conversations are not deleted with their persona.
    const { rows: rule } = await withClient(scratch.url, (c) =>
      c.query(
        `select delete_rule from information_schema.referential_constraints
         where constraint_name = $1`,
        [rows[0]?.constraint_name],
      ),
    );
    expect(rule).toEqual([{ delete_rule: "NO ACTION" }]);
  });

  it("seed 003: enum_range is {active,ended,error}", async () => {
    const { rows } = await withClient(scratch.url, (c) => c.query(SEED_003_ENUM_QUERY));
    expect(rows).toEqual([{ enum_range: "{active,ended,error}" }]);
  });

  it("seed 003: the columns and the three indexes exist", async () => {
    // The seed's `\d conversations` / `\d messages` are psql commands; information_schema and
    // pg_indexes report the same facts.
    const { rows: columns } = await withClient(scratch.url, (c) =>
      c.query(
        `select table_name, column_name, data_type, udt_name, is_nullable, column_default
         from information_schema.columns
         where table_schema = 'public' and (
           (table_name = 'conversations' and column_name in ('status', 'ended_at', 'elevenlabs_session_id'))
           or (table_name = 'messages' and column_name in ('role', 'audio_url'))
         )
         order by table_name, column_name`,
      ),
    );
    expect(columns).toEqual([
      {
        table_name: "conversations",
        column_name: "elevenlabs_session_id",
        data_type: "text",
        udt_name: "text",
        is_nullable: "YES",
        column_default: null,
      },
      {
        table_name: "conversations",
        column_name: "ended_at",
        data_type: "timestamp with time zone",
        udt_name: "timestamptz",
        is_nullable: "YES",
        column_default: null,
      },
      {
        table_name: "conversations",
        column_name: "status",
        data_type: "USER-DEFINED",
        udt_name: "conversation_status_enum",
        is_nullable: "NO",
        column_default: "'active'::conversation_status_enum",
      },
      {
        table_name: "messages",
        column_name: "audio_url",
        data_type: "text",
        udt_name: "text",
        is_nullable: "YES",
        column_default: null,
      },
      {
        table_name: "messages",
        column_name: "role",
        data_type: "text",
        udt_name: "text",
        is_nullable: "NO",
        column_default: null,
      },
    ]);

    const { rows: indexes } = await withClient(scratch.url, (c) =>
      c.query(
        `select indexname, indexdef from pg_indexes
         where schemaname = 'public'
           and indexname in ('idx_conversations_status', 'idx_conversations_ended_at', 'idx_messages_role')
         order by indexname`,
      ),
    );
    expect(indexes).toEqual([
      {
        indexname: "idx_conversations_ended_at",
        indexdef:
          "CREATE INDEX idx_conversations_ended_at ON public.conversations USING btree (ended_at)",
      },
      {
        indexname: "idx_conversations_status",
        indexdef:
          "CREATE INDEX idx_conversations_status ON public.conversations USING btree (status)",
      },
      {
        indexname: "idx_messages_role",
        indexdef: "CREATE INDEX idx_messages_role ON public.messages USING btree (role)",
      },
    ]);
  });

  // Last in this block: it runs everything again on the same database.
  it("running the compat SQL and every migration a second time changes nothing", async () => {
    await withClient(scratch.url, async (client, db) => {
      // Some app data, written through the API functions, so "nothing changes" covers rows too.
      await client.query("set role service_role");
      const { rows: personas } = await client.query<{ id: string }>(
        "select id from public.list_personas() limit 1",
      );
      const { rows: started } = await client.query<{ c: { id: string } }>(
        "select public.start_conversation($1, $2, null) as c",
        [personas[0]?.id, "idempotency-guest-session-0001"],
      );
      await client.query("select public.post_user_message($1, $2, null, 'Hello there')", [
        started[0]?.c.id,
        "idempotency-guest-session-0001",
      ]);
      await client.query("reset role");

      const conversationsBefore = await client.query(
        "select to_jsonb(c) as row from public.conversations c order by id",
      );
      const messagesBefore = await client.query(
        "select to_jsonb(m) as row from public.messages m order by id",
      );
      const catalogBefore = await catalogSnapshot(db);
      const countsBefore = await rowCounts(db);
      expect(countsBefore["public.personas"]).toBeGreaterThan(0);
      expect(countsBefore["public.conversations"]).toBe(1);
      expect(countsBefore["public.messages"]).toBe(1);

      const migrations = await readMigrations();
      await applyScripts(client, migrations); // compat, then every migration, as plain scripts
      await client.query(await readCompatSql()); // and the compat SQL once more on top

      expect(catalogDiff(catalogBefore, await catalogSnapshot(db))).toEqual([]);
      expect(await rowCounts(db)).toEqual(countsBefore);
      expect(
        (await client.query("select to_jsonb(c) as row from public.conversations c order by id"))
          .rows,
      ).toEqual(conversationsBefore.rows);
      expect(
        (await client.query("select to_jsonb(m) as row from public.messages m order by id")).rows,
      ).toEqual(messagesBefore.rows);
    });
  });
});

// Senders as legacy clients wrote them, and the role 20250627 must carry each into.
const LEGACY_SENDERS: Record<string, string> = {
  user: "user",
  assistant: "assistant",
  system: "system",
  ai: "assistant",
  bot: "assistant",
  AI: "assistant",
  User: "user",
};

describeServer("legacy data through the CLI push", () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await emptyServerDatabase("legacy");
  });
  afterAll(() => scratch?.drop());

  it("keeps every row, fills role from sender and gives conversations the new defaults", async () => {
    const base = await migrationsBefore(SEED_003_VERSION);
    expect(base.length).toBeGreaterThan(0);
    const all = await readMigrations();

    await withClient(scratch.url, async (client) => {
      // The database as it stood before the CLI managed it: the compat SQL and the base schema.
      await applyScripts(client, base);
      await client.query(
        `insert into auth.users (id, email) values ('00000000-0000-4000-8000-000000000001', 'legacy@example.com')`,
      );
      await client.query(
        `insert into public.personas (id, slug, name, tagline, system_prompt, sort_order, created_at)
         values
           ('10000000-0000-4000-8000-000000000001', 'legacy-sage', 'Legacy Sage', 'Old and wise',
            'You are a sage.', 5, '2025-05-01T10:00:00Z'),
           ('10000000-0000-4000-8000-000000000002', 'legacy-pirate', 'Legacy Pirate', '',
            'You are a pirate.', 6, '2025-05-02T10:00:00Z')`,
      );
      await client.query(
        `insert into public.conversations (id, user_id, title, created_at, updated_at)
         values
           ('20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001',
            'With a user', '2025-05-03T10:00:00Z', '2025-05-03T11:00:00Z'),
           ('20000000-0000-4000-8000-000000000002', null, null,
            '2025-05-04T10:00:00Z', '2025-05-04T10:30:00Z')`,
      );
      let i = 0;
      for (const sender of Object.keys(LEGACY_SENDERS)) {
        i += 1;
        await client.query(
          `insert into public.messages (id, conversation_id, sender, content, created_at)
           values ($1, $2, $3, $4, $5)`,
          [
            `30000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
            i % 2 === 0
              ? "20000000-0000-4000-8000-000000000001"
              : "20000000-0000-4000-8000-000000000002",
            sender,
            `Message ${i} from ${sender}`,
            `2025-05-05T10:00:${String(i).padStart(2, "0")}Z`,
          ],
        );
      }
    });

    const read = (client: import("pg").Client, table: string) =>
      client
        .query<{ row: Record<string, unknown> }>(
          `select to_jsonb(t) as row from ${table} t order by id`,
        )
        .then((r) => r.rows.map((x) => x.row));
    const before = await withClient(scratch.url, async (client) => ({
      users: await read(client, "auth.users"),
      personas: await read(client, "public.personas"),
      conversations: await read(client, "public.conversations"),
      messages: await read(client, "public.messages"),
    }));

    // Baseline the history the documented way, then let the CLI push the rest.
    await supabaseCli([
      "migration",
      "repair",
      ...base.map((m) => m.version),
      "--status",
      "applied",
      `--remote=${cliUrl(scratch.url)}`,
      "--yes",
    ]);
    const output = await cliPush(scratch.url);
    for (const m of base) expect(output).not.toContain(`Applying migration ${m.file}`);
    for (const m of all.slice(base.length))
      expect(output).toContain(`Applying migration ${m.file}`);

    await withClient(scratch.url, async (client) => {
      expect(await historyVersions(client)).toEqual(all.map((m) => m.version));

      // Every old column of every old row is unchanged.
      const project = (rows: Record<string, unknown>[], like: Record<string, unknown>[]) =>
        rows
          .filter((r) => like.some((l) => l.id === r.id))
          .map((r) => Object.fromEntries(Object.keys(like[0] ?? {}).map((k) => [k, r[k]])));
      expect(await read(client, "auth.users")).toEqual(before.users);
      for (const table of ["personas", "conversations", "messages"] as const) {
        const after = await read(client, `public.${table}`);
        expect(project(after, before[table])).toEqual(before[table]);
      }

      const { rows: messages } = await client.query(
        "select sender, role, audio_url from public.messages order by id",
      );
      expect(messages).toEqual(
        Object.entries(LEGACY_SENDERS).map(([sender, role]) => ({ sender, role, audio_url: null })),
      );

      const { rows: conversations } = await client.query(
        `select status, ended_at, elevenlabs_session_id, session_id, persona_id, is_guest_session,
           guest_message_count
         from public.conversations order by id`,
      );
      const defaults = {
        status: "active",
        ended_at: null,
        elevenlabs_session_id: null,
        session_id: null,
        persona_id: null,
        is_guest_session: false,
        guest_message_count: 0,
      };
      expect(conversations).toEqual([defaults, defaults]);
    });
  });
});

describeServer("npm run db:push (scripts/db-push.ts)", () => {
  const scratches: Scratch[] = [];
  afterAll(async () => {
    for (const s of scratches) await s.drop();
  });

  it("applies the compat SQL on a plain Postgres, then pushes; a second run does neither", async () => {
    const scratch = await emptyServerDatabase("dbpush");
    scratches.push(scratch);
    const lines: string[] = [];
    const first = await dbPush(scratch.url, (line) => lines.push(line));
    const versions = (await readMigrations()).map((m) => m.version);
    expect(first.compatApplied).toBe(true);
    expect(first.applied).toEqual(versions);
    expect(lines.join("\n")).toContain("applied supabase/compat/supabase-platform.sql");
    expect(await withClient(scratch.url, historyVersions)).toEqual(versions);

    const second = await dbPush(scratch.url, () => {});
    expect(second).toMatchObject({ compatApplied: false, applied: [] });
  });

  it("never applies the compat SQL to a database that has Supabase's roles and auth schema", async () => {
    const scratch = await emptyServerDatabase("dbpushsb");
    scratches.push(scratch);
    // Stands in for a Supabase database: roles, auth.users, auth.uid() and auth.jwt() present,
    // but no auth.role(), which the compat SQL would (re)create if it ran.
    await withClient(scratch.url, async (client) => {
      await client.query(await readCompatSql());
      await client.query("drop function auth.role()");
    });
    const result = await dbPush(scratch.url, () => {});
    expect(result.compatApplied).toBe(false);
    expect(result.applied).toEqual((await readMigrations()).map((m) => m.version));
    const { rows } = await withClient(scratch.url, (client) =>
      client.query("select to_regprocedure('auth.role()') is null as absent"),
    );
    expect(rows).toEqual([{ absent: true }]);
  });
});
