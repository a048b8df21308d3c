// The database port's types: which functions exist, their arguments and what they return.

import type { Database } from "@/lib/database.types";

type Functions = Database["public"]["Functions"];

export type RpcName = keyof Functions;

/**
 * Arguments as generated, except that each may be null: SQL function arguments are nullable
 * (a guest call passes `p_user_id: null`), which `supabase gen types` cannot express.
 */
export type RpcArgs<F extends RpcName> = Functions[F] extends { Args: infer A }
  ? [A] extends [never]
    ? Record<string, never>
    : { [K in keyof A]: A[K] | null }
  : never;

export type RpcResult<F extends RpcName> = Functions[F]["Returns"];

/** A way to reach the database. Each `rpc` call is one round trip and one transaction. */
export interface Transport {
  readonly kind: "sql" | "supabase";
  rpc(fn: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/** Counts what the port sends, so benchmarks can report round trips instead of assuming them. */
export type PortStats = { calls: number; byFunction: Record<string, number> };

export interface DbPort {
  readonly kind: Transport["kind"];
  rpc<F extends RpcName>(fn: F, args: RpcArgs<F>): Promise<RpcResult<F>>;
  stats(): PortStats;
  close(): Promise<void>;
}
