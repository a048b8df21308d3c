// Runs before every page, action and API request: keeps the visitor's session fresh (Supabase
// Auth's in supabase mode, the built-in one otherwise). It only refreshes; every page, action and
// route handler still checks who is asking itself.

import type { NextRequest } from "next/server";
import { refreshLocalSession } from "@/lib/auth/session-refresh";
import { getConfig } from "@/lib/config";
import { updateSession } from "@/lib/supabase/proxy";

export async function proxy(request: NextRequest) {
  const { supabase } = getConfig();
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
