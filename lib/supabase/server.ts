// The Supabase client for server code (server components, actions, route handlers): the session
// lives in cookies, read and written through Next's cookies() with getAll/setAll.

import { type CookieMethodsServer, createServerClient } from "@supabase/ssr";
import type { SupabaseClient } from "@supabase/supabase-js";
import { cookies } from "next/headers";
import ws from "ws";
import { getConfig } from "@/lib/config";
import type { Database } from "@/lib/database.types";

/** What the server-side auth client needs: the URL and the public key, never the secret key. */
export type SupabasePublicSettings = { url: string; publishableKey: string };

export type ServerSupabaseClient = SupabaseClient<Database>;

/** A client over any cookie store (Next's, the proxy's request/response, or a test's jar). */
export function createSupabaseServerClient(
  settings: SupabasePublicSettings,
  cookieMethods: CookieMethodsServer,
  options: { fetch?: typeof fetch } = {},
): ServerSupabaseClient {
  return createServerClient<Database>(settings.url, settings.publishableKey, {
    cookies: cookieMethods,
    // Node 20 has no global WebSocket; supabase-js throws at createClient without one.
    realtime: { transport: ws as never },
    global: options.fetch ? { fetch: options.fetch } : undefined,
  });
}

export function supabasePublicSettings(): SupabasePublicSettings {
  const supabase = getConfig().supabase;
  if (!supabase) throw new Error("Supabase is not configured (the app is not in supabase mode).");
  return { url: supabase.url, publishableKey: supabase.publishableKey };
}

/** A client for this request. Create one per request; never share it. */
export async function createClient(): Promise<ServerSupabaseClient> {
  const cookieStore = await cookies();
  return createSupabaseServerClient(supabasePublicSettings(), {
    getAll: () => cookieStore.getAll(),
    setAll(cookiesToSet) {
      try {
        for (const { name, value, options } of cookiesToSet) cookieStore.set(name, value, options);
      } catch {
        // Server Components cannot set cookies; root proxy.ts has already refreshed the session.
      }
    },
  });
}
