// Supabase mode: the Auth Admin API calls the app makes with the server-only secret key (never
// from the browser, never with a user's session): deleting a user, for account deletion.

import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { getConfig } from "@/lib/config";
import { createServiceClient } from "@/lib/db/supabase-transport";
import { mapSupabaseAuthError } from "./supabase-auth";

type AdminClient = Pick<SupabaseClient, "auth">;

/** A client with the secret key, for the Auth Admin API. One per call; it keeps no session. */
export function supabaseAdminClient(): AdminClient {
  const supabase = getConfig().supabase;
  if (!supabase) throw new Error("Supabase is not configured (the app is not in supabase mode).");
  return createServiceClient({ url: supabase.url, secretKey: supabase.secretKey });
}

/**
 * Deletes the user at Supabase Auth (`DELETE /auth/v1/admin/users/{id}`), which ends all their
 * sessions. A user that is already gone counts as deleted, so a retry after a failure finishes.
 */
export async function supabaseDeleteUser(client: AdminClient, userId: string): Promise<void> {
  const { error } = await client.auth.admin.deleteUser(userId);
  if (!error) return;
  if (error.status === 404 || error.code === "user_not_found") return;
  throw mapSupabaseAuthError(error);
}
