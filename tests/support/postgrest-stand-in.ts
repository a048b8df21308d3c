// A STAND-IN for PostgREST's RPC endpoint (PostgREST cannot run on these machines), so that the
// Supabase transport (real supabase-js) can be tested over real HTTP against the real schema.
//
// It follows PostgREST's documented request and error format (docs.postgrest.org, "Functions as
// RPC" and "Errors"), only as far as our transport uses it:
// - `POST /rest/v1/rpc/<fn>` with a JSON object of named arguments (`Content-Profile: public`);
// - the `apikey` and `Authorization: Bearer` headers: the secret key runs as `service_role`, the
//   publishable key as `anon` (what the Supabase gateway does with its API keys); anything else is
//   the gateway's 401 "Invalid API key", which carries no SQLSTATE;
// - the function is looked up in schema `public` by name and argument names, as PostgREST's
//   schema cache does: none → 404 PGRST202, several → 300 PGRST203;
// - it runs `select public.<fn>(<name> => $1, ...)` in a transaction, after `set local role` and
//   `request.jwt.claims`, on a backing database (PGlite or a `pg` pool);
// - 200 with the JSON result (a set-returning function → a JSON array of rows);
// - errors as `{code, message, details, hint}` with PostgREST's SQLSTATE → status table; invalid
//   JSON → 400 PGRST102; a lost database → 503 PGRST000.
// Known differences: real PostgREST passes arguments through `json_to_record` with the schema
// cache's types (a "\u0000" in a string is then 22P05; here a text parameter, so 22021); GET calls,
// bulk (array) bodies and `Prefer` headers are not implemented.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PGliteInterface } from "@electric-sql/pglite";
import type pg from "pg";

type Row = Record<string, unknown>;
export type Query = (text: string, params?: unknown[]) => Promise<Row[]>;

/** Where the stand-in runs the calls: one transaction per request. */
export type StandInBacking = {
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
};

export function pgliteBacking(db: PGliteInterface): StandInBacking {
  return {
    transaction: (work) =>
      db.transaction((tx) =>
        work(async (text, params) => (await tx.query<Row>(text, params)).rows),
      ),
  };
}

export function pgPoolBacking(pool: pg.Pool): StandInBacking {
  return {
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await work(async (text, params) => (await client.query(text, params)).rows);
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** One request as the stand-in understood it, for assertions about what the transport sent. */
export type RecordedRpc = {
  fn: string;
  argNames: string[];
  /** Null when the keys were refused. */
  role: "service_role" | "anon" | null;
  status: number;
  headers: { apikey?: string; authorization?: string; contentProfile?: string };
};

export type PostgrestStandIn = {
  /** The project URL to give supabase-js (it appends /rest/v1). */
  url: string;
  secretKey: string;
  publishableKey: string;
  requests: RecordedRpc[];
  close(): Promise<void>;
};

type PgrstError = { code: string; message: string; details: string | null; hint: string | null };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: PgrstError | { message: string; hint?: string },
  ) {
    super(body.message);
  }
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8" };

/** PostgREST's SQLSTATE → HTTP status table (docs.postgrest.org, references/errors). */
export function postgrestStatus(sqlstate: string, role: "service_role" | "anon"): number {
  const exact: Record<string, number> = {
    "23503": 409,
    "23505": 409,
    "25006": 405,
    "53400": 500,
    P0001: 400,
    "42883": 404,
    "42P01": 404,
    "42P17": 500,
  };
  if (exact[sqlstate]) return exact[sqlstate];
  // Anonymous requests get 401 (sign in may help), others 403.
  if (sqlstate === "42501") return role === "anon" ? 401 : 403;
  if (/^PT\d{3}$/.test(sqlstate)) return Number(sqlstate.slice(2));
  const byClass: Record<string, number> = {
    "08": 503,
    "09": 500,
    "0L": 403,
    "0P": 403,
    "25": 500,
    "28": 403,
    "2D": 500,
    "38": 500,
    "39": 500,
    "3B": 500,
    "40": 500,
    "53": 503,
    "54": 413,
    "55": 500,
    "57": 500,
    "58": 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return byClass[sqlstate.slice(0, 2)] ?? 400;
}

type FunctionInfo = { name: string; retset: boolean; args: string[]; required: string[] };

// PostgREST's schema cache, reduced to what RPC resolution needs: the input argument names (IN,
// INOUT, VARIADIC; TABLE/OUT columns excluded) and how many of them lack a default.
const LOOKUP_SQL = `
  select p.proname as name, p.proretset as retset,
         coalesce((
           select array_agg(a.arg_name order by a.ord)
           from unnest(p.proargnames, p.proargmodes) with ordinality as a(arg_name, arg_mode, ord)
           where a.arg_mode is null or a.arg_mode in ('i', 'b', 'v')
         ), '{}'::text[]) as args,
         p.pronargs - p.pronargdefaults as required_count
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.proname = $1 and p.prokind = 'f'`;

async function resolveFunction(query: Query, fn: string, given: string[]): Promise<FunctionInfo> {
  const rows = await query(LOOKUP_SQL, [fn]);
  const matches = rows
    .map((r) => {
      const args = (r.args as string[]) ?? [];
      return {
        name: String(r.name),
        retset: r.retset === true,
        args,
        required: args.slice(0, Number(r.required_count)),
      };
    })
    .filter(
      (f) => given.every((g) => f.args.includes(g)) && f.required.every((r) => given.includes(r)),
    );
  const signature = `public.${fn}(${[...given].sort().join(", ")})`;
  if (matches.length === 0) {
    throw new HttpError(404, {
      code: "PGRST202",
      message: `Could not find the function ${signature} in the schema cache`,
      details: `Searched for the function public.${fn} with parameters ${given.join(", ") || "(none)"}, but no matches were found in the schema cache.`,
      hint: null,
    });
  }
  if (matches.length > 1) {
    throw new HttpError(300, {
      code: "PGRST203",
      message: `Could not choose the best candidate function between several ${signature} overloads`,
      details: null,
      hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    });
  }
  return matches[0] as FunctionInfo;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function invalidJson(): HttpError {
  return new HttpError(400, {
    code: "PGRST102",
    message: "Empty or invalid json",
    details: null,
    hint: null,
  });
}

/** Starts the stand-in on 127.0.0.1 at a free port. */
export async function startPostgrestStandIn(
  backing: StandInBacking,
  keys: { secretKey?: string; publishableKey?: string } = {},
): Promise<PostgrestStandIn> {
  const secretKey = keys.secretKey ?? "sb_secret_stand-in-0123456789abcdef";
  const publishableKey = keys.publishableKey ?? "sb_publishable_stand-in-0123456789abcdef";
  const requests: RecordedRpc[] = [];

  function roleFor(req: IncomingMessage): "service_role" | "anon" {
    const apikey = req.headers.apikey;
    const authorization = req.headers.authorization;
    const role =
      apikey === secretKey ? "service_role" : apikey === publishableKey ? "anon" : undefined;
    // The bearer, when sent, must be that same key: we mint no JWTs, so a user token is refused.
    if (!role || (authorization !== undefined && authorization !== `Bearer ${apikey}`)) {
      throw new HttpError(401, {
        message: "Invalid API key",
        hint: "Double check your Supabase `anon` or `service_role` API key.",
      });
    }
    return role;
  }

  async function handle(
    req: IncomingMessage,
    recorded: RecordedRpc,
  ): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const match = /^\/rest\/v1\/rpc\/([^/]+)$/.exec(url.pathname);
    recorded.fn = decodeURIComponent(match?.[1] ?? "");
    const role = roleFor(req);
    recorded.role = role;
    if (!match) {
      throw new HttpError(404, {
        code: "PGRST125",
        message: "Invalid path specified in request URL",
        details: null,
        hint: null,
      });
    }
    const fn = recorded.fn;
    if (req.method !== "POST") {
      throw new HttpError(405, {
        code: "PGRST101",
        message: "Only GET and POST verbs are allowed for functions (the stand-in serves POST)",
        details: null,
        hint: null,
      });
    }
    const profile = req.headers["content-profile"];
    if (profile !== undefined && profile !== "public") {
      throw new HttpError(406, {
        code: "PGRST106",
        message: `Invalid schema: ${String(profile)}`,
        details: null,
        hint: "Only the following schemas are exposed: public",
      });
    }
    const contentType = String(req.headers["content-type"] ?? "application/json");
    if (!contentType.startsWith("application/json")) {
      throw new HttpError(415, {
        code: "PGRST107",
        message: `Content-Type not acceptable: ${contentType}`,
        details: null,
        hint: null,
      });
    }
    const text = await readBody(req);
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = text.trim() === "" ? {} : JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw invalidJson();
      args = parsed as Record<string, unknown>;
    } catch {
      throw invalidJson();
    }
    const argNames = Object.keys(args);
    recorded.argNames = argNames;
    try {
      const result = await backing.transaction(async (query) => {
        const info = await resolveFunction(query, fn, argNames);
        // The role comes from a fixed set, never from the request's text.
        await query(`set local role ${role}`);
        await query(
          "select set_config('request.jwt.claims', $1, true), set_config('request.method', 'POST', true), set_config('request.path', $2, true)",
          [JSON.stringify({ role }), url.pathname],
        );
        // Named notation with one parameter per argument; pg/PGlite send the values untyped and
        // Postgres takes the types from the function, as it does for PostgREST's record fields.
        const named = argNames.map((name, i) => `${quoteIdent(name)} => $${i + 1}`).join(", ");
        const call = `public.${quoteIdent(info.name)}(${named})`;
        const sql = info.retset
          ? `select coalesce(json_agg(r), '[]'::json) as result from ${call} r`
          : `select to_json(${call}) as result`;
        const params = argNames.map((name) => {
          const value = args[name];
          return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
        });
        const rows = await query(sql, params);
        return rows[0]?.result ?? null;
      });
      return { status: 200, body: result };
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const e = error as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown };
      const sqlstate = typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : null;
      if (!sqlstate) {
        // The backing database is gone (closed, unreachable): PostgREST's connection error.
        throw new HttpError(503, {
          code: "PGRST000",
          message: "Could not connect with the database",
          details: String(e.message ?? error),
          hint: null,
        });
      }
      throw new HttpError(postgrestStatus(sqlstate, role), {
        code: sqlstate,
        message: String(e.message ?? ""),
        details: typeof e.detail === "string" ? e.detail : null,
        hint: typeof e.hint === "string" ? e.hint : null,
      });
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const recorded: RecordedRpc = {
      fn: "",
      argNames: [],
      role: null,
      status: 0,
      headers: {
        apikey: req.headers.apikey as string | undefined,
        authorization: req.headers.authorization,
        contentProfile: req.headers["content-profile"] as string | undefined,
      },
    };
    requests.push(recorded);
    const send = (status: number, body: unknown) => {
      recorded.status = status;
      res.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
    };
    handle(req, recorded)
      .then(({ status, body }) => send(status, body))
      .catch((error: unknown) => {
        if (error instanceof HttpError) send(error.status, error.body);
        else send(500, { code: "PGRST000", message: String(error), details: null, hint: null });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    publishableKey,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
