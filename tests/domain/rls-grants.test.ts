// What the public anon/publishable key and a signed-in user's token could reach if they talked to
// the database directly (as PostgREST lets them): RLS and grants on the real migrated server.

import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import type { ReplyContext } from "@/lib/chat/types";
import type { DbPort } from "@/lib/db/types";
import { useDatabase } from "../support/database";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";
import { ipOf, newGuest, newUser, replyFails, type UserActor } from "./scenarios";

type Role = "anon" | "authenticated";

// The functions only the server (service_role) may call.
const SERVER_ONLY_FUNCTIONS = [
  "start_conversation",
  "post_user_message",
  "save_assistant_message",
  "end_conversation",
  "set_conversation_status",
  "claim_guest_conversations",
  "prepare_retry",
  "get_conversation",
  "list_conversations",
  "get_guest_allowance",
  "rename_conversation",
  "delete_conversation",
  "delete_account",
];
const TABLES = ["personas", "conversations", "messages"];

describeServer("RLS and grants (real server)", () => {
  let scratch: Awaited<ReturnType<typeof migratedServerDatabase>>;
  let pool: pg.Pool;
  let port: DbPort;
  let client: pg.Client;
  let restoreDatabase: () => void = () => {};
  let alice: UserActor;
  let bob: UserActor;
  const owned: Record<string, { conversations: string[]; messages: number }> = {};

  beforeAll(async () => {
    scratch = await migratedServerDatabase("rls");
    ({ port, pool } = serverPort(scratch.url, 2));
    const sql = async (text: string, params?: unknown[]) => (await pool.query(text, params)).rows;
    restoreDatabase = useDatabase(port);
    const [persona] = await chat.listPersonas();
    await sql(
      `insert into public.personas (slug, name, system_prompt, is_active)
       values ('hidden-persona', 'Hidden', 'secret prompt', false)`,
    );
    alice = await newUser(sql);
    bob = await newUser(sql);
    const guest = newGuest();
    for (const [actor, posts] of [
      [alice, 2],
      [bob, 1],
      [guest, 1],
    ] as const) {
      const c = await chat.startConversation(actor, persona?.id ?? "", ipOf(actor));
      let last: ReplyContext | null = null;
      for (let i = 0; i < posts; i++) {
        // One reply at a time: the previous message's reply fails before the next post.
        if (last) await replyFails(actor, last);
        last = await chat.postUserMessage(actor, c.id, `m${i}`, ipOf(actor));
      }
      if (!last) throw new Error("no message posted");
      await chat.saveAssistantMessage(actor, c.id, "reply", last.userMessage.id, {
        leaseId: last.lease.id,
      });
      const key = actor.kind === "user" ? actor.userId : "guest";
      owned[key] = { conversations: [c.id], messages: posts + 1 };
    }
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
  });

  afterAll(async () => {
    restoreDatabase();
    await client?.end();
    await port?.close();
    await scratch?.drop();
  });

  /**
   * Runs one statement as `role` (with the JWT claims PostgREST would set) in a transaction that
   * is always rolled back, so nothing a check does survives it.
   */
  async function as(
    role: Role,
    sub: string | null,
    text: string,
  ): Promise<{ rows: Record<string, unknown>[]; error?: { code: string; message: string } }> {
    await client.query("begin");
    try {
      await client.query(`set local role ${role}`);
      await client.query("select set_config('request.jwt.claims', $1, true)", [
        JSON.stringify(sub ? { sub, role } : { role }),
      ]);
      return { rows: (await client.query(text)).rows };
    } catch (error) {
      const e = error as { code: string; message: string };
      return { rows: [], error: { code: e.code, message: e.message } };
    } finally {
      await client.query("rollback");
    }
  }

  it("has data to hide (seen as the owner)", async () => {
    const { rows } = await pool.query(
      "select (select count(*)::int from public.conversations) as c, (select count(*)::int from public.messages) as m",
    );
    expect(rows[0]).toEqual({ c: 3, m: 7 });
  });

  it("anon sees no conversations or messages, and only the active personas", async () => {
    expect((await as("anon", null, "select * from public.conversations")).rows).toEqual([]);
    expect((await as("anon", null, "select * from public.messages")).rows).toEqual([]);
    const personas = await as("anon", null, "select slug from public.personas order by sort_order");
    expect(personas.error).toBeUndefined();
    expect(personas.rows.map((r) => r.slug)).toEqual([
      "socrates",
      "captain-nova",
      "chef-remy",
      "zen-master-kai",
    ]);
  });

  it("the public keys read the gallery columns of personas, never the system prompts", async () => {
    for (const role of ["anon", "authenticated"] as const) {
      const gallery = await as(role, null, "select slug, name, tagline from public.personas");
      expect(gallery.error).toBeUndefined();
      expect(gallery.rows).toHaveLength(4);
      const prompts = await as(role, null, "select system_prompt from public.personas");
      expect(prompts.error?.code).toBe("42501");
    }
  });

  it("a signed-in user sees only their own conversations and messages", async () => {
    for (const user of [alice, bob]) {
      const mine = owned[user.userId];
      const conversations = await as(
        "authenticated",
        user.userId,
        "select id from public.conversations",
      );
      expect(conversations.rows.map((r) => r.id)).toEqual(mine?.conversations);
      const messages = await as(
        "authenticated",
        user.userId,
        "select m.conversation_id from public.messages m",
      );
      expect(messages.rows).toHaveLength(mine?.messages ?? -1);
      expect(new Set(messages.rows.map((r) => r.conversation_id))).toEqual(
        new Set(mine?.conversations),
      );
      const personas = await as("authenticated", user.userId, "select id from public.personas");
      expect(personas.rows).toHaveLength(4);
    }
    // A token without a subject, or for a user with nothing, sees nothing.
    expect((await as("authenticated", null, "select id from public.conversations")).rows).toEqual(
      [],
    );
    expect(
      (await as("authenticated", randomUUID(), "select id from public.messages")).rows,
    ).toEqual([]);
  });

  it("anon and authenticated cannot execute the server-only functions (42501)", async () => {
    // Every argument null, cast to its declared type: privilege is checked before any argument.
    const { rows: procs } = await pool.query<{ name: string; call: string }>(
      `select p.proname as name,
              format('select public.%I(%s)', p.proname,
                (select coalesce(string_agg('null::' || pg_catalog.format_type(t, null), ', ' order by i), '')
                 from unnest(p.proargtypes::oid[]) with ordinality as a(t, i))) as call
       from pg_catalog.pg_proc p
       where p.pronamespace = 'public'::regnamespace and p.proname = any($1)`,
      [SERVER_ONLY_FUNCTIONS],
    );
    expect(procs.map((p) => p.name).sort()).toEqual([...SERVER_ONLY_FUNCTIONS].sort());
    for (const role of ["anon", "authenticated"] as const) {
      for (const proc of procs) {
        const result = await as(role, alice.userId, proc.call);
        expect(result.error?.code, `${role} → ${proc.name}`).toBe("42501");
        expect(result.error?.message).toMatch(/permission denied for function/);
      }
    }
  });

  it("no function in public or chat_private is executable by anon or authenticated, except list_personas", async () => {
    const { rows } = await pool.query(
      `select n.nspname || '.' || p.proname as fn, r.rolname as role
       from pg_catalog.pg_proc p
       join pg_catalog.pg_namespace n on n.oid = p.pronamespace
       cross join (values ('anon'), ('authenticated')) as r(rolname)
       where n.nspname in ('public', 'chat_private')
         and pg_catalog.has_function_privilege(r.rolname, p.oid, 'EXECUTE')
         and (not n.nspname = 'chat_private' or pg_catalog.has_schema_privilege(r.rolname, n.oid, 'USAGE'))
       order by 1, 2`,
    );
    expect(rows).toEqual([
      { fn: "public.list_personas", role: "anon" },
      { fn: "public.list_personas", role: "authenticated" },
    ]);
    const helper = await as("anon", null, "select chat_private.chat_raise('x', 'y')");
    expect(helper.error?.code).toBe("42501");
  });

  it("anon and authenticated cannot insert, update, delete or truncate the tables", async () => {
    const conversation = owned[alice.userId]?.conversations[0];
    const statements: Record<string, string[]> = {
      personas: [
        "insert into public.personas (slug, name, system_prompt) values ('evil', 'Evil', 'x')",
        "update public.personas set name = 'Changed'",
        "delete from public.personas",
        "truncate public.personas cascade",
      ],
      conversations: [
        `insert into public.conversations (user_id, session_id) values ('${alice.userId}', '${alice.userId}')`,
        "update public.conversations set guest_message_count = 0",
        "delete from public.conversations",
        "truncate public.conversations cascade",
      ],
      messages: [
        `insert into public.messages (conversation_id, sender, role, content) values ('${conversation}', 'user', 'user', 'x')`,
        "update public.messages set content = 'changed'",
        "delete from public.messages",
        "truncate public.messages",
      ],
    };
    expect(Object.keys(statements)).toEqual(TABLES);
    for (const role of ["anon", "authenticated"] as const) {
      for (const table of TABLES) {
        for (const statement of statements[table] ?? []) {
          const result = await as(role, alice.userId, statement);
          expect(result.error?.code, `${role}: ${statement}`).toBe("42501");
          expect(result.error?.message).toMatch(/permission denied for table/);
        }
      }
    }
    const { rows } = await pool.query(
      "select (select count(*)::int from public.conversations) as c, (select count(*)::int from public.messages) as m",
    );
    expect(rows[0]).toEqual({ c: 3, m: 7 });
  });

  it("anon can execute list_personas", async () => {
    const result = await as("anon", null, "select slug from public.list_personas()");
    expect(result.error).toBeUndefined();
    expect(result.rows.map((r) => r.slug)).toEqual([
      "socrates",
      "captain-nova",
      "chef-remy",
      "zen-master-kai",
    ]);
  });
});
