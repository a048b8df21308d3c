// Runs before every page, action and API request: keeps the visitor's session fresh (Supabase
// Auth's in supabase mode, the built-in one otherwise). It only refreshes; every page, action and
// route handler still checks who is asking itself.

import { type NextRequest, NextResponse } from "next/server";
import { refreshLocalSession } from "@/lib/auth/session-refresh";
import { type AppConfig, ConfigError, getConfig } from "@/lib/config";
import { updateSession } from "@/lib/supabase/proxy";

export async function proxy(request: NextRequest) {
  let supabase: AppConfig["supabase"];
  try {
    ({ supabase } = getConfig());
  } catch (error) {
    // instrumentation.ts stops start-up on a bad setting; this covers a server started anyway.
    if (!(error instanceof ConfigError)) throw error;
    return NextResponse.json(
      { error: { code: "service_unavailable", message: error.message } },
      { status: 503 },
    );
  }
  if (!supabase) return refreshLocalSession(request);
  // The public key only: the proxy never needs the secret one.
  return updateSession(request, { url: supabase.url, publishableKey: supabase.publishableKey });
}

export const config = {
  // Everything except build assets and static files.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|avatars/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|xml)$).*)",
  ],
};
