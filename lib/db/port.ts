// The database port: `rpc(fn, args)` over a transport, with errors mapped to AppError and every
// result parsed by its schema (results.ts) into the API's types.

import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { mapDatabaseError } from "./errors";
import { LOCAL_AUTH_RESULTS, parseResult, RPC_RESULTS } from "./results";
import type {
  DbPort,
  LocalAuthArgs,
  LocalAuthName,
  LocalAuthResult,
  PortStats,
  RpcArgs,
  RpcName,
  RpcResult,
  Transport,
} from "./types";

export function createPort(transport: Transport): DbPort {
  const stats: PortStats = { calls: 0, byFunction: {} };

  async function call<T>(name: string, schema: z.ZodType<T>, send: () => Promise<unknown>) {
    stats.calls += 1;
    stats.byFunction[name] = (stats.byFunction[name] ?? 0) + 1;
    let result: unknown;
    try {
      result = await send();
    } catch (error) {
      throw mapDatabaseError(error);
    }
    return parseResult(name, schema, result);
  }

  return {
    kind: transport.kind,
    rpc<F extends RpcName>(fn: F, args: RpcArgs<F>) {
      const schema = RPC_RESULTS[fn] as unknown as z.ZodType<RpcResult<F>>;
      return call(fn, schema, () => transport.rpc(fn, args as Record<string, unknown>));
    },
    localAuth<F extends LocalAuthName>(fn: F, args: LocalAuthArgs[F]) {
      const { localAuth } = transport;
      if (!localAuth) {
        console.error(`[db] local_auth.${fn} called on the ${transport.kind} transport`);
        return Promise.reject(
          new AppError("internal", undefined, {
            cause: new Error(`The ${transport.kind} transport cannot reach schema local_auth.`),
          }),
        );
      }
      const schema = LOCAL_AUTH_RESULTS[fn] as unknown as z.ZodType<LocalAuthResult<F>>;
      return call(`local_auth.${fn}`, schema, () =>
        localAuth.call(transport, fn, args as Record<string, unknown>),
      );
    },
    stats: () => ({ calls: stats.calls, byFunction: { ...stats.byFunction } }),
    close: () => transport.close(),
  };
}
