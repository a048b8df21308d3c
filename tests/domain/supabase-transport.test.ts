// The Supabase transport (lib/db/supabase-transport.ts, real supabase-js over HTTP) against the
// PostgREST stand-in: the domain scenarios end to end, PostgREST's wire format, and a check that
// every function the transport calls exists in the real migrated schema with those argument names
// and is executable by service_role.

import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as chat from "@/lib/chat/service";
import { mapDatabaseError } from "@/lib/db/errors";
import { createPgPool } from "@/lib/db/pg";
import { createPort } from "@/lib/db/port";
import { createSupabaseTransport } from "@/lib/db/supabase-transport";
import type { DbPort } from "@/lib/db/types";
import { withDatabase } from "../support/database";
import { freshPglite } from "../support/pglite";
import {
  type PostgrestStandIn,
  pgliteBacking,
  pgPoolBacking,
  type RecordedRpc,
  startPostgrestStandIn,
} from "../support/postgrest-stand-in";
import { describeServer, migratedServerDatabase, TEST_DATABASE_URL } from "../support/server";
import { defineVoiceScenarios } from "../voice/voice-scenarios";
import { defineDomainScenarios, expectAppError, newGuest } from "./scenarios";

// Every request the transport sent during the scenario runs, for the schema check at the end.
const sent: RecordedRpc[][] = [];

function supabasePort(standIn: PostgrestStandIn, secretKey = standIn.secretKey): DbPort {
  return createPort(createSupabaseTransport({ url: standIn.url, secretKey }));
}

async function rawRpc(
  standIn: PostgrestStandIn,
  fn: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${standIn.url}/rest/v1/rpc/${fn}`, {
    method: "POST",
    headers: {
      apikey: standIn.secretKey,
      Authorization: `Bearer ${standIn.secretKey}`,
      "Content-Type": "application/json",
      ...headers,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

defineDomainScenarios("domain via supabase-js → PostgREST stand-in → PGlite", async () => {
  const db = await freshPglite();
  const standIn = await startPostgrestStandIn(pgliteBacking(db));
  sent.push(standIn.requests);
  const port = supabasePort(standIn);
  return {
    port,
    sql: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    cleanup: async () => {
      await port.close();
      await standIn.close();
      await db.close();
    },
  };
});

// The voice functions too, so that every function the domain calls goes over PostgREST's wire.
defineVoiceScenarios("voice via supabase-js → PostgREST stand-in → PGlite", async () => {
  const db = await freshPglite();
  const standIn = await startPostgrestStandIn(pgliteBacking(db));
  sent.push(standIn.requests);
  const port = supabasePort(standIn);
  return {
    port,
    sql: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    cleanup: async () => {
      await port.close();
      await standIn.close();
      await db.close();
    },
  };
});

describeServer("real PostgreSQL server", () => {
  defineDomainScenarios("domain via supabase-js → PostgREST stand-in → PostgreSQL", async () => {
    const scratch = await migratedServerDatabase("supa");
    const pool = createPgPool(scratch.url, 5);
    const standIn = await startPostgrestStandIn(pgPoolBacking(pool));
    sent.push(standIn.requests);
    const port = supabasePort(standIn);
    return {
      port,
      sql: async (text, params) => (await pool.query(text, params)).rows,
      cleanup: async () => {
        await port.close();
        await standIn.close();
        await pool.end();
        await scratch.drop();
      },
    };
  });
});

describe("the PostgREST stand-in and the transport's error handling", () => {
  let db: PGlite;
  let standIn: PostgrestStandIn;

  beforeAll(async () => {
    db = await freshPglite();
    standIn = await startPostgrestStandIn(pgliteBacking(db));
  });
  afterAll(async () => {
    await standIn?.close();
    await db?.close();
  });

  it("answers a set-returning function with a JSON array and a scalar one with its value", async () => {
    const personas = await rawRpc(standIn, "list_personas", "{}");
    expect(personas.status).toBe(200);
    expect(Array.isArray(personas.body)).toBe(true);
    expect((personas.body as unknown as { slug: string }[]).map((p) => p.slug)).toHaveLength(4);
    const allowance = await rawRpc(
      standIn,
      "get_guest_allowance",
      JSON.stringify({ p_session_id: newGuest().sessionId, p_guest_limit: 3 }),
    );
    expect(allowance).toEqual({ status: 200, body: { limit: 3, used: 0, remaining: 3 } });
  });

  it("reports errors as PostgREST does: {code, message, details, hint} and its statuses", async () => {
    const guest = newGuest().sessionId;
    // RAISE (P0001) → 400, with our stable code as the message and the sentence as details.
    expect(
      await rawRpc(
        standIn,
        "end_conversation",
        JSON.stringify({
          p_conversation_id: "00000000-0000-4000-8000-000000000000",
          p_session_id: guest,
          p_user_id: null,
        }),
      ),
    ).toEqual({
      status: 400,
      body: {
        code: "P0001",
        message: "not_found",
        details: "Conversation not found.",
        hint: null,
      },
    });
    // A malformed uuid (22P02) → 400.
    const bad = await rawRpc(
      standIn,
      "end_conversation",
      JSON.stringify({ p_conversation_id: "nope", p_session_id: guest, p_user_id: null }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "22P02", details: null, hint: null });
    // A foreign key violation (23503) → 409.
    const fk = await rawRpc(
      standIn,
      "start_conversation",
      JSON.stringify({
        p_persona_id: (await withDatabase(supabasePort(standIn), chat.listPersonas))[0]?.id,
        p_session_id: null,
        p_user_id: "00000000-0000-4000-8000-000000000001",
      }),
    );
    expect(fk.status).toBe(409);
    expect(fk.body).toMatchObject({ code: "23503" });
    expect(Object.keys(fk.body).sort()).toEqual(["code", "details", "hint", "message"]);
  });

  it("answers an unknown function, unknown arguments or a private helper with 404 PGRST202", async () => {
    for (const [fn, body] of [
      ["no_such_function", "{}"],
      ["get_guest_allowance", JSON.stringify({ p_session: "x" })],
      ["get_guest_allowance", JSON.stringify({ p_guest_limit: 3 })],
      ["chat_raise", JSON.stringify({ p_code: "x", p_detail: "y" })],
    ] as const) {
      const res = await rawRpc(standIn, fn, body);
      expect(res.status, fn).toBe(404);
      expect(res.body.code).toBe("PGRST202");
      expect(Object.keys(res.body).sort()).toEqual(["code", "details", "hint", "message"]);
    }
  });

  it("cannot reach the built-in sign-in: no local_auth over REST, none from the transport", async () => {
    // The functions that returned password hashes are no longer in the exposed schema.
    for (const fn of [
      "local_auth_begin_sign_in",
      "local_auth_sign_up",
      "local_auth_finish_sign_in",
    ]) {
      const res = await rawRpc(
        standIn,
        fn,
        JSON.stringify({ p_email: "x@example.com", p_ip: null }),
      );
      expect(res.status, fn).toBe(404);
      expect(res.body.code).toBe("PGRST202");
    }
    // And the Supabase transport has no way to name schema local_auth: the port refuses before
    // anything is sent.
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const before = standIn.requests.length;
      await expectAppError(
        supabasePort(standIn).localAuth("begin_sign_in", {
          p_email: "x@example.com",
          p_ip: "10.0.0.1",
        }),
        "internal",
      );
      expect(standIn.requests.length).toBe(before);
      expect(String(errors.mock.calls[0]?.[0])).toContain("local_auth.begin_sign_in");
    } finally {
      errors.mockRestore();
    }
  });

  it("answers invalid JSON with 400 PGRST102", async () => {
    for (const body of ["{not json", "[1, 2]", '"text"', "null"]) {
      const res = await rawRpc(standIn, "list_personas", body);
      expect(res.status, body).toBe(400);
      expect(res.body).toMatchObject({ code: "PGRST102", message: "Empty or invalid json" });
    }
  });

  it("runs the publishable key as anon: list_personas only; the rest is 401 with 42501", async () => {
    const anonHeaders = {
      apikey: standIn.publishableKey,
      Authorization: `Bearer ${standIn.publishableKey}`,
    };
    expect((await rawRpc(standIn, "list_personas", "{}", anonHeaders)).status).toBe(200);
    const denied = await rawRpc(
      standIn,
      "get_guest_allowance",
      JSON.stringify({ p_session_id: "x", p_guest_limit: 10 }),
      anonHeaders,
    );
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ code: "42501" });
    expect(String(denied.body.message)).toMatch(/permission denied for function/);
  });

  it("answers 42501 for a non-anonymous role with 403, and an unexposed schema with 406", async () => {
    await db.exec(`
      create or replace function public.stand_in_locked() returns int language sql as 'select 1';
      revoke execute on function public.stand_in_locked() from public, service_role;`);
    const locked = await rawRpc(standIn, "stand_in_locked", "{}");
    expect(locked.status).toBe(403);
    expect(locked.body).toMatchObject({ code: "42501" });
    const profile = await rawRpc(standIn, "list_personas", "{}", { "Content-Profile": "auth" });
    expect(profile.status).toBe(406);
    expect(profile.body).toMatchObject({ code: "PGRST106" });
  });

  it("refuses a missing or wrong key before touching the database", async () => {
    const before = standIn.requests.length;
    const noKey = await fetch(`${standIn.url}/rest/v1/rpc/list_personas`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(noKey.status).toBe(401);
    const wrong = await rawRpc(standIn, "list_personas", "{}", {
      apikey: "sb_secret_wrong",
      Authorization: "Bearer sb_secret_wrong",
    });
    expect(wrong.status).toBe(401);
    const mismatched = await rawRpc(standIn, "list_personas", "{}", {
      Authorization: "Bearer someone-elses-jwt",
    });
    expect(mismatched.status).toBe(401);
    expect(standIn.requests.slice(before).map((r) => [r.status, r.role])).toEqual([
      [401, null],
      [401, null],
      [401, null],
    ]);
  });

  it("maps what the transport gets back to AppError", async () => {
    // A wrong secret key: the gateway's 401 carries no SQLSTATE → the service is unavailable.
    await expectAppError(
      withDatabase(supabasePort(standIn, "sb_secret_not-the-key"), chat.listPersonas),
      "service_unavailable",
    );
    // The publishable key calling a server-only function: 42501 → forbidden.
    await expectAppError(
      withDatabase(supabasePort(standIn, standIn.publishableKey), () =>
        chat.getGuestAllowance(newGuest().sessionId),
      ),
      "forbidden",
    );
    // Real PostgREST reads arguments with json_to_record, which turns "\u0000" into 22P05.
    expect(mapDatabaseError({ code: "22P05", message: "unsupported Unicode escape" }).code).toBe(
      "invalid_input",
    );
    // PostgREST without its database (503 PGRST000..PGRST003) → service_unavailable.
    expect(mapDatabaseError({ code: "PGRST003", message: "timed out" }).code).toBe(
      "service_unavailable",
    );
  });

  it("is a 503 service_unavailable when PostgREST is up but its database is gone", async () => {
    const lonely = await db.clone();
    const broken = await startPostgrestStandIn(pgliteBacking(lonely));
    try {
      await lonely.close();
      const res = await rawRpc(broken, "list_personas", "{}");
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("PGRST000");
      await expectAppError(
        withDatabase(supabasePort(broken), chat.listPersonas),
        "service_unavailable",
      );
    } finally {
      await broken.close();
    }
  });

  it("is a 503 service_unavailable when PostgREST cannot be reached", async () => {
    const gone = await startPostgrestStandIn(pgliteBacking(db));
    await gone.close();
    await expectAppError(
      withDatabase(supabasePort(gone), chat.listPersonas),
      "service_unavailable",
    );
  });
});

// The function catalogue of the real migrated schema (the CLI's `db push` on the server; PGlite
// migrated by lib/db/migrations.ts when there is no server).
type ProcRow = { name: string; args: string[]; service_role_can_execute: boolean };
const CATALOGUE_SQL = `
  select p.proname as name,
         coalesce((
           select array_agg(a.arg_name order by a.ord)
           from unnest(p.proargnames, p.proargmodes) with ordinality as a(arg_name, arg_mode, ord)
           where a.arg_mode is null or a.arg_mode in ('i', 'b', 'v')
         ), '{}'::text[]) as args,
         pg_catalog.has_function_privilege('service_role', p.oid, 'EXECUTE') as service_role_can_execute
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.prokind = 'f'`;

async function realCatalogue(): Promise<ProcRow[]> {
  if (TEST_DATABASE_URL) {
    const scratch = await migratedServerDatabase("catalogue");
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      return (await client.query<ProcRow>(CATALOGUE_SQL)).rows;
    } finally {
      await client.end();
      await scratch.drop();
    }
  }
  const db = await freshPglite();
  try {
    return (await db.query<ProcRow>(CATALOGUE_SQL)).rows;
  } finally {
    await db.close();
  }
}

describe("the Supabase transport against the real schema", () => {
  it("calls only functions that exist with exactly those argument names, executable by service_role", async () => {
    // The static list: every `.rpc("name", ...)` in the domain.
    const source = await readFile(path.join(process.cwd(), "lib/chat/service.ts"), "utf8");
    const staticNames = new Set([...source.matchAll(/\.rpc\(\s*"([a-z_]+)"/g)].map((m) => m[1]));
    expect(staticNames.size).toBeGreaterThanOrEqual(11);

    // What the transport actually sent while the scenarios ran (with the secret key).
    const calls = sent.flat().filter((r) => r.role === "service_role");
    expect(calls.length).toBeGreaterThan(100);
    for (const call of calls) {
      expect(call.headers.contentProfile).toBe("public");
    }
    const calledNames = new Set(calls.map((c) => c.fn));
    // The scenarios exercise every function the domain calls, and nothing else is called.
    expect([...calledNames].sort()).toEqual([...staticNames].sort());

    const catalogue = await realCatalogue();
    for (const name of staticNames) {
      const procs = catalogue.filter((p) => p.name === name);
      // Exactly one: PostgREST cannot choose between overloads with the same names (PGRST203).
      expect(procs, `public.${name}`).toHaveLength(1);
      const proc = procs[0] as ProcRow;
      expect(proc.service_role_can_execute, `service_role may execute ${name}`).toBe(true);
      const argSets = new Set(
        calls.filter((c) => c.fn === name).map((c) => [...c.argNames].sort().join(",")),
      );
      expect([...argSets], `arguments sent to ${name}`).toEqual([[...proc.args].sort().join(",")]);
    }
  });

  it("sends the secret key as apikey and as the bearer on every call", () => {
    const calls = sent.flat();
    expect(calls.length).toBeGreaterThan(0);
    const keys = new Set(calls.map((c) => `${c.headers.apikey} | ${c.headers.authorization}`));
    expect(keys.size).toBe(1);
    const [only] = [...keys];
    expect(only).toMatch(/^(sb_secret_\S+) \| Bearer \1$/);
  });
});
