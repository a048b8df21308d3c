// The database port's types: which functions exist, their arguments and what they return.

import type { z } from "zod";
import type { Database } from "@/lib/database.types";
import type { LOCAL_AUTH_RESULTS, RPC_RESULTS } from "./results";

type Functions = Database["public"]["Functions"];

/** The functions in schema `public`: the API that PostgREST exposes and both transports call. */
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

/** The parsed result, in the API's camelCase types (results.ts). */
export type RpcResult<F extends RpcName> = z.output<(typeof RPC_RESULTS)[F]>;

/**
 * The built-in sign-in's functions, in schema `local_auth`: PostgREST does not expose it, and
 * `supabase gen types` covers `public` only, so their arguments are written out here
 * (tests/auth/local-auth-sql.test.ts calls each one with every argument).
 */
export type LocalAuthArgs = {
  sign_up: {
    p_email: string;
    p_password_hash: string;
    p_ip: string;
    p_refresh_token_hash: string;
    p_session_seconds: number;
    p_max_per_ip?: number;
    p_window_seconds?: number;
  };
  begin_sign_in: {
    p_email: string;
    p_ip: string;
    p_max_per_pair?: number;
    p_max_per_ip?: number;
    p_max_per_email?: number;
    p_window_seconds?: number;
  };
  finish_sign_in: { p_attempt_id: string; p_refresh_token_hash: string; p_session_seconds: number };
  session_user: { p_session_id: string };
  refresh_session: { p_refresh_token_hash: string; p_new_refresh_token_hash: string };
  revoke_session: { p_session_id: string | null; p_refresh_token_hash: string | null };
  revoke_user_sessions: { p_user_id: string };
};

export type LocalAuthName = keyof LocalAuthArgs;

export type LocalAuthResult<F extends LocalAuthName> = z.output<(typeof LOCAL_AUTH_RESULTS)[F]>;

/** A way to reach the database. Each call is one round trip and one transaction. */
export interface Transport {
  readonly kind: "sql" | "supabase";
  /** Calls `public.<fn>` with named arguments; returns its raw (unparsed) result. */
  rpc(fn: string, args: Record<string, unknown>): Promise<unknown>;
  /**
   * Calls `local_auth.<fn>`. Only the SQL transport has it: the Supabase transport speaks
   * PostgREST, which exposes `public` alone, so it has no way to address that schema.
   */
  localAuth?(fn: LocalAuthName, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/** Counts what the port sends, so benchmarks can report round trips instead of assuming them. */
export type PortStats = { calls: number; byFunction: Record<string, number> };

export interface DbPort {
  readonly kind: Transport["kind"];
  rpc<F extends RpcName>(fn: F, args: RpcArgs<F>): Promise<RpcResult<F>>;
  /** `local_auth.<fn>` for the built-in sign-in; `internal` on a transport that cannot reach it. */
  localAuth<F extends LocalAuthName>(fn: F, args: LocalAuthArgs[F]): Promise<LocalAuthResult<F>>;
  stats(): PortStats;
  close(): Promise<void>;
}
