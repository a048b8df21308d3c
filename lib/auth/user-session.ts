// Who is signed in, from this request's cookies: Supabase Auth's session in supabase mode, the
// built-in session cookie (lib/auth/local-session.ts) otherwise. Null when nobody is, or when the
// cookie is missing, tampered with or expired; never throws for a bad cookie.

import { cookies } from "next/headers";
import { cache } from "react";
import { getConfig } from "@/lib/config";
import { SESSION_COOKIE, verifySessionToken } from "./local-session";

export type SignedInUser = { id: string; email: string | null };

/** Memoised per server render, so the header, the page and the sidebar verify once. */
export const getSignedInUser = cache(async (): Promise<SignedInUser | null> => {
  if (getConfig().mode === "supabase") {
    const [{ createClient }, { supabaseIdentity }] = await Promise.all([
      import("@/lib/supabase/server"),
      import("./supabase-auth"),
    ]);
    return supabaseIdentity(await createClient());
  }
  const jar = await cookies();
  const claims = await verifySessionToken(jar.get(SESSION_COOKIE)?.value);
  return claims ? { id: claims.sub, email: claims.email } : null;
});
