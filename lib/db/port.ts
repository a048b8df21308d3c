// The database port: `rpc(fn, args)` over a transport, with errors mapped to AppError.

import { mapDatabaseError } from "./errors";
import type { DbPort, PortStats, RpcArgs, RpcName, RpcResult, Transport } from "./types";

export function createPort(transport: Transport): DbPort {
  const stats: PortStats = { calls: 0, byFunction: {} };
  return {
    kind: transport.kind,
    async rpc<F extends RpcName>(fn: F, args: RpcArgs<F>): Promise<RpcResult<F>> {
      stats.calls += 1;
      stats.byFunction[fn] = (stats.byFunction[fn] ?? 0) + 1;
      try {
        return (await transport.rpc(fn, args as Record<string, unknown>)) as RpcResult<F>;
      } catch (error) {
        throw mapDatabaseError(error);
      }
    },
    stats: () => ({ calls: stats.calls, byFunction: { ...stats.byFunction } }),
    close: () => transport.close(),
  };
}
