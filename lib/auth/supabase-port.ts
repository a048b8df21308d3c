// Supabase Auth (supabase mode) behind the sign-in port, through @supabase/ssr: its
// sb-<ref>-auth-token cookies, refreshed by the proxy, identity from getClaims(); email links
// (confirmation, password recovery) completed with verifyOtp on /auth/confirm; account deletion
// through the Auth Admin API with the secret key (supabase-admin.ts).

import "server-only";
import { updateSession } from "@/lib/supabase/proxy";
import { createClient, supabasePublicSettings } from "@/lib/supabase/server";
import { eraseAccountData } from "./account-data";
import type { AuthPort } from "./port";
import { supabaseAdminClient, supabaseDeleteUser } from "./supabase-admin";
import {
  supabaseIdentity,
  supabaseRequestPasswordReset,
  supabaseSignIn,
  supabaseSignOut,
  supabaseSignUp,
  supabaseUpdatePassword,
  supabaseVerifyEmailLink,
} from "./supabase-auth";

export const supabaseAuthPort: AuthPort = {
  kind: "supabase",
  sendsEmail: true,

  async currentUser() {
    return supabaseIdentity(await createClient());
  },

  async signUp(input) {
    const account = await supabaseSignUp(await createClient(), input);
    if (!account.signedIn) return { status: "confirm-email", email: account.email ?? input.email };
    return { status: "signed-in", user: { id: account.id, email: account.email } };
  },

  async signIn(input) {
    return supabaseSignIn(await createClient(), input);
  },

  async signOut() {
    await supabaseSignOut(await createClient(), "local");
  },

  async signOutEverywhere() {
    await supabaseSignOut(await createClient(), "global");
  },

  async confirmEmail(link) {
    return supabaseVerifyEmailLink(await createClient(), link);
  },

  async requestPasswordReset(email, redirectTo) {
    await supabaseRequestPasswordReset(await createClient(), email, redirectTo);
  },

  async updatePassword(password) {
    await supabaseUpdatePassword(await createClient(), password);
  },

  async deleteAccount(userId) {
    // auth.users belongs to Supabase Auth here: the SQL step leaves it, the Admin API deletes it
    // (and its sessions) afterwards. If that call fails the data is already gone, the user is
    // still signed in, and trying again finishes the job.
    const deleted = await eraseAccountData(userId, { deleteAuthUser: false });
    await supabaseDeleteUser(supabaseAdminClient(), userId);
    // "local" removes the cookies before it asks Auth, which no longer knows the session.
    await supabaseSignOut(await createClient(), "local");
    return { ...deleted, userDeleted: true };
  },

  // The public key only: the proxy never needs the secret one.
  refreshSession: (request) => updateSession(request, supabasePublicSettings()),
};
