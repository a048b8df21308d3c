// Audio is private: the public keys' roles (anon, authenticated) cannot call the voice functions,
// read the stored audio, or read the personas' voice columns. On PGlite and on the PostgreSQL
// server, with the roles the Supabase platform has (supabase/compat on both).

import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPglite } from "../support/pglite";
import { describeServer, migratedServerDatabase } from "../support/server";

type Outcome = { rows: Record<string, unknown>[]; error?: { code: string; message: string } };
type RunAs = (role: "anon" | "authenticated", text: string) => Promise<Outcome>;

const VOICE_FUNCTIONS = [
  "get_message_audio(uuid, uuid, text, uuid)",
  "save_message_audio(uuid, uuid, text, uuid, text, integer, integer, text, text)",
  "post_voice_message(uuid, text, uuid, text, text, integer, integer, text, text, integer, integer)",
  "get_voice_session_context(uuid, text, uuid)",
  "save_voice_transcript(uuid, text, uuid, text, jsonb)",
];

// Every argument null, cast to its type: privilege is checked before any argument is used.
const callWithNulls = (signature: string) => {
  const [name, args = ""] = signature.replace(")", "").split("(");
  const nulls = args
    .split(",")
    .map((t) => `null::${t.trim()}`)
    .join(", ");
  return `select public.${name}(${nulls})`;
};

function defineGrantChecks(
  label: string,
  open: () => Promise<{ runAs: RunAs; close(): Promise<void> }>,
) {
  describe(label, () => {
    let runAs: RunAs;
    let close: () => Promise<void> = async () => {};

    beforeAll(async () => {
      ({ runAs, close } = await open());
    });
    afterAll(() => close());

    for (const role of ["anon", "authenticated"] as const) {
      it(`${role} cannot execute the voice functions (42501)`, async () => {
        for (const fn of VOICE_FUNCTIONS) {
          const outcome = await runAs(role, callWithNulls(fn));
          expect(outcome.error?.code, `${role} → ${fn}`).toBe("42501");
        }
      });

      it(`${role} cannot read the stored audio, the voice sessions or the personas' voices`, async () => {
        for (const text of [
          "select * from chat_private.message_audio",
          "select * from chat_private.voice_sessions",
          "select voice from public.personas",
          "select elevenlabs_voice_id from public.personas",
        ]) {
          const outcome = await runAs(role, text);
          expect(outcome.error?.code, `${role}: ${text}`).toBe("42501");
        }
        // The public columns stay readable.
        expect((await runAs(role, "select slug from public.personas")).rows.length).toBeGreaterThan(
          0,
        );
      });
    }
  });
}

defineGrantChecks("voice grants on PGlite", async () => {
  const db: PGlite = await freshPglite();
  return {
    async runAs(role, text) {
      try {
        // One multi-statement string is one transaction, and `set local` ends with it.
        const results = await db.exec(`begin; set local role ${role}; ${text}; rollback;`);
        return { rows: (results.at(-2)?.rows ?? []) as Record<string, unknown>[] };
      } catch (error) {
        await db.exec("rollback").catch(() => {});
        const e = error as { code: string; message: string };
        return { rows: [], error: { code: e.code, message: e.message } };
      }
    },
    close: () => db.close(),
  };
});

describeServer("real PostgreSQL server", () => {
  defineGrantChecks("voice grants on PostgreSQL", async () => {
    const scratch = await migratedServerDatabase("voicegrants");
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    return {
      async runAs(role, text) {
        await client.query("begin");
        try {
          await client.query(`set local role ${role}`);
          return { rows: (await client.query(text)).rows };
        } catch (error) {
          const e = error as { code: string; message: string };
          return { rows: [], error: { code: e.code, message: e.message } };
        } finally {
          await client.query("rollback");
        }
      },
      async close() {
        await client.end();
        await scratch.drop();
      },
    };
  });
});
