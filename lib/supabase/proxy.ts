// Refreshes the Supabase session on every request (called from root proxy.ts): an expired access
// token is exchanged here, and the new cookies go both to this request and to the browser.

import { type NextRequest, NextResponse } from "next/server";
import { createSupabaseServerClient, type SupabasePublicSettings } from "./server";

export async function updateSession(
  request: NextRequest,
  settings: SupabasePublicSettings,
): Promise<NextResponse> {
  let response = NextResponse.next({ request });
  const supabase = createSupabaseServerClient(settings, {
    getAll: () => request.cookies.getAll(),
    setAll(cookiesToSet, headers) {
      // The page rendered for this request must see the refreshed session too.
      for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
      response = NextResponse.next({ request });
      for (const { name, value, options } of cookiesToSet) {
        response.cookies.set(name, value, options);
      }
      // No-store headers, so no cache hands one user's session to another.
      for (const [key, value] of Object.entries(headers ?? {})) response.headers.set(key, value);
    },
  });
  try {
    // Nothing may run between creating the client and this call: it loads and refreshes the session.
    await supabase.auth.getClaims();
  } catch (error) {
    console.error("[auth] could not refresh the Supabase session", error);
  }
  return response;
}
