// Upgrades through the real Supabase CLI on the real server: a database migrated with the
// migrations up to 20251101000200 receives the later ones from `supabase db push` of the whole
// folder, ends with the schema a fresh database gets, and passes the domain scenarios. And a
// database that recorded the first draft of the since-edited 20251101000000 is caught up.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import { type Migration, readCompatSql, readMigrations } from "@/lib/db/migrations";
import { defineDomainScenarios, newGuest } from "../domain/scenarios";
import { withDatabase } from "../support/database";
import {
  describeServer,
  emptyServerDatabase,
  migratedServerDatabase,
  serverPort,
} from "../support/server";
import { type CatalogSnapshot, catalogDiff, catalogSnapshot } from "./support/catalog";
import { cliPush, cliWorkdir, historyVersions, withClient } from "./support/migration-files";

/** The last migration before the append-only rule (and before the local_auth move). */
const BASELINE_VERSION = "20251101000200";

type Scratch = Awaited<ReturnType<typeof emptyServerDatabase>>;

// What changed in the edit that mattered most: save_assistant_message's signature (p_reply_to)
// and whether the public key can read the personas' system prompts.
const SAVE_AND_PROMPTS_QUERY = `
  select pg_get_function_identity_arguments(p.oid) as args,
    has_column_privilege('anon', 'public.personas', 'system_prompt', 'SELECT') as anon_reads_prompts
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.proname = 'save_assistant_message'`;

/** A fresh scratch database with the compat SQL, then only `migrations` pushed by the CLI. */
async function databaseAt(prefix: string, migrations: Migration[]) {
  const scratch = await emptyServerDatabase(prefix);
  await withClient(scratch.url, async (client) => client.query(await readCompatSql()));
  const folder = await cliWorkdir(migrations);
  try {
    const output = await cliPush(scratch.url, ["--workdir", folder.workdir]);
    return { scratch, output };
  } finally {
    await folder.remove();
  }
}

/** Each line `supabase db push` prints for a migration it applies, in order. */
const appliedIn = (output: string) =>
  [...output.matchAll(/Applying migration (\S+\.sql)/g)].map((m) => m[1]);

let all: Migration[];
let baseline: Migration[];
let freshCatalog: CatalogSnapshot;

beforeAll(async () => {
  all = await readMigrations();
  baseline = all.filter((m) => m.version <= BASELINE_VERSION);
});

describeServer("upgrading through supabase db push", () => {
  beforeAll(async () => {
    const fresh = await migratedServerDatabase("upfresh");
    try {
      freshCatalog = await withClient(fresh.url, (_client, db) => catalogSnapshot(db));
    } finally {
      await fresh.drop();
    }
  });

  it("there are migrations after the baseline to upgrade with", () => {
    expect(baseline.at(-1)?.version).toBe(BASELINE_VERSION);
    expect(all.length).toBeGreaterThan(baseline.length);
  });

  describe(`a database migrated up to ${BASELINE_VERSION}`, () => {
    let scratch: Scratch;
    let baselineOutput = "";
    let upgradeOutput = "";
    let versionsBefore: string[] = [];

    beforeAll(async () => {
      ({ scratch, output: baselineOutput } = await databaseAt("upgrade", baseline));
      versionsBefore = await withClient(scratch.url, historyVersions);
      // Some data from before the upgrade, which must survive it.
      await withClient(scratch.url, async (client) => {
        await client.query("set role service_role");
        const { rows } = await client.query<{ id: string }>(
          "select id from public.list_personas() limit 1",
        );
        const { rows: started } = await client.query<{ c: { id: string } }>(
          "select public.start_conversation($1, $2, null) as c",
          [rows[0]?.id, "upgrade-guest-session-0001"],
        );
        await client.query("select public.post_user_message($1, $2, null, 'Before the upgrade')", [
          started[0]?.c.id,
          "upgrade-guest-session-0001",
        ]);
      });
      upgradeOutput = await cliPush(scratch.url); // the whole supabase/migrations folder
    });
    afterAll(() => scratch?.drop());

    it("had exactly the baseline migrations before the push", () => {
      expect(appliedIn(baselineOutput)).toEqual(baseline.map((m) => m.file));
      expect(versionsBefore).toEqual(baseline.map((m) => m.version));
    });

    it("gets only the later migrations from the push, in order, and records them", async () => {
      expect(appliedIn(upgradeOutput)).toEqual(all.slice(baseline.length).map((m) => m.file));
      expect(await withClient(scratch.url, historyVersions)).toEqual(all.map((m) => m.version));
      expect(await cliPush(scratch.url)).toContain("Remote database is up to date");
    });

    it("ends with exactly the schema of a freshly migrated database, and keeps its data", async () => {
      await withClient(scratch.url, async (client, db) => {
        expect(catalogDiff(freshCatalog, await catalogSnapshot(db))).toEqual([]);
        const { rows } = await client.query("select content from public.messages");
        expect(rows).toEqual([{ content: "Before the upgrade" }]);
      });
    });

    defineDomainScenarios("domain on the upgraded database (SQL transport over pg)", async () => {
      const { port, pool } = serverPort(scratch.url);
      return {
        port,
        sql: async (text, params) => (await pool.query(text, params)).rows,
        cleanup: () => port.close(),
      };
    });
  });

  describe("a database that recorded the first draft of 20251101000000", () => {
    let scratch: Scratch;
    let upgradeOutput = "";
    let draftState: unknown[] = [];

    beforeAll(async () => {
      ({ scratch } = await databaseAt("drafted", baseline));
      // Stands for a database that applied 20251101000000 before it was edited: the CLI then
      // recorded the version, so pushing the edited file would never have reached it.
      const draft = await readFile(
        path.join(process.cwd(), "tests", "db", "support", "chat-functions-first-draft.sql"),
        "utf8",
      );
      draftState = await withClient(scratch.url, async (client) => {
        await client.query(draft);
        return (await client.query(SAVE_AND_PROMPTS_QUERY)).rows;
      });
      upgradeOutput = await cliPush(scratch.url);
    });
    afterAll(() => scratch?.drop());

    it("started from the draft: 4-argument save_assistant_message, system prompts readable", () => {
      expect(draftState).toEqual([
        {
          args: "p_conversation_id uuid, p_session_id text, p_user_id uuid, p_content text",
          anon_reads_prompts: true,
        },
      ]);
    });

    it("is caught up by the push: the fresh schema, and a reply saves with p_reply_to", async () => {
      expect(appliedIn(upgradeOutput)).toEqual(all.slice(baseline.length).map((m) => m.file));
      await withClient(scratch.url, async (client, db) => {
        expect(catalogDiff(freshCatalog, await catalogSnapshot(db))).toEqual([]);
        expect((await client.query(SAVE_AND_PROMPTS_QUERY)).rows).toEqual([
          {
            // As 20251201000300_limits_leases_pages_and_titles.sql has it: the reply's lease and
            // whether it was stopped came after p_content.
            args: "p_conversation_id uuid, p_session_id text, p_user_id uuid, p_reply_to uuid, p_content text, p_lease_id uuid, p_stopped boolean",
            anon_reads_prompts: false,
          },
        ]);
      });
      const { port } = serverPort(scratch.url, 2);
      try {
        await withDatabase(port, async () => {
          const guest = newGuest();
          const [persona] = await chat.listPersonas();
          const conversation = await chat.startConversation(guest, persona?.id ?? "");
          const posted = await chat.postUserMessage(guest, conversation.id, "Still there?");
          const saved = await chat.saveAssistantMessage(
            guest,
            conversation.id,
            "Yes.",
            posted.userMessage.id,
            { leaseId: posted.lease.id },
          );
          expect(saved.message).toMatchObject({ role: "assistant", content: "Yes." });
        });
      } finally {
        await port.close();
      }
    });
  });
});
