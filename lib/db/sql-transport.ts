// The SQL transport: runs a function as PostgREST would, on PGlite or on `pg`, in one round trip.
//
// Each call is one simple-protocol query string. Postgres runs a multi-statement string as one
// implicit transaction, so `set local role service_role` holds for exactly that call, grants and
// RLS apply as on Supabase, and an error rolls back everything the call did. It also reaches
// schema local_auth (the built-in sign-in), which PostgREST does not expose.

import "server-only";
import { AppError } from "@/lib/errors";
import type { Transport } from "./types";

/** Runs a multi-statement SQL string and returns the rows of its last statement. */
export type SqlExecutor = {
  execMulti(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

// Functions whose result PostgREST returns as an array of rows.
const SET_RETURNING = new Set(["public.list_personas"]);

/** The schemas this transport calls functions in. */
export type SqlSchema = "public" | "local_auth";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A SQL literal of unknown type (the function signature decides), safe for any string. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new AppError("invalid_input", "Numbers must be finite.");
    text = String(value);
  } else if (typeof value === "boolean") text = value ? "true" : "false";
  else text = JSON.stringify(value);
  // Postgres text cannot hold NUL; refusing here keeps bad input a 400.
  if (text.includes("\u0000"))
    throw new AppError("invalid_input", "Text may not contain NUL characters.");
  // E'' with doubled quotes and backslashes is correct whatever standard_conforming_strings is.
  return `E'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The one query string that calls `<schema>.<fn>(args)` as service_role. */
export function buildRpcSql(
  fn: string,
  args: Record<string, unknown>,
  options: { schema?: SqlSchema; claims?: object } = {},
): string {
  const { schema = "public", claims } = options;
  if (!IDENTIFIER.test(fn)) throw new AppError("internal", `Bad function name: ${fn}`);
  const named = Object.entries(args).map(([name, value]) => {
    if (!IDENTIFIER.test(name)) throw new AppError("internal", `Bad argument name: ${name}`);
    return `${name} => ${sqlLiteral(value)}`;
  });
  const qualified = `${schema}.${fn}`;
  const call = `${qualified}(${named.join(", ")})`;
  const select = SET_RETURNING.has(qualified)
    ? `select coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) as result from ${call} r`
    : `select ${call} as result`;
  return [
    "set local role service_role",
    `set local request.jwt.claims = ${sqlLiteral(claims ?? { role: "service_role" })}`,
    select,
  ].join(";\n");
}

export function createSqlTransport(executor: SqlExecutor): Transport {
  const run = async (sql: string) => (await executor.execMulti(sql))[0]?.result ?? null;
  return {
    kind: "sql",
    rpc: (fn, args) => run(buildRpcSql(fn, args)),
    localAuth: (fn, args) => run(buildRpcSql(fn, args, { schema: "local_auth" })),
    close: () => executor.close(),
  };
}
