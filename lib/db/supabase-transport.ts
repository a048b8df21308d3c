// The Supabase transport: supabase-js `.rpc()` with the server-only secret key (service role).
// It reaches schema `public` only (what PostgREST exposes): it has no `localAuth`, so the
// built-in sign-in's functions in schema local_auth are out of its reach by construction.

import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import ws from "ws";
import type { Database } from "@/lib/database.types";
import { AppError } from "@/lib/errors";
import type { Transport } from "./types";

export type SupabaseServiceOptions = { url: string; secretKey: string; fetch?: typeof fetch };

export function createServiceClient(options: SupabaseServiceOptions): SupabaseClient<Database> {
  return createClient<Database>(options.url, options.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket; supabase-js throws at createClient without one.
    realtime: { transport: ws as never },
    global: options.fetch ? { fetch: options.fetch } : undefined,
  });
}

export function createSupabaseTransport(options: SupabaseServiceOptions): Transport {
  const client = createServiceClient(options);
  return {
    kind: "supabase",
    async rpc(fn, args) {
      // A bare name: PostgREST would resolve "schema.fn" nowhere, but say so here, plainly.
      if (!/^[a-z_][a-z0-9_]*$/.test(fn))
        throw new AppError("internal", `Bad function name: ${fn}`);
      const { data, error } = await client.rpc(fn as never, args as never);
      if (error) {
        // A PostgREST error carries the SQLSTATE in `code`; a network failure has none.
        if (!error.code) {
          throw new AppError("service_unavailable", undefined, { cause: error });
        }
        throw error;
      }
      return data;
    },
    close: async () => {
      await client.removeAllChannels();
    },
  };
}
