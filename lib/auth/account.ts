// Signing up, in and out for the current request, in whichever mode the app runs: sets or clears
// the session cookies and moves the visitor's guest conversations to the account (DESIGN
// section 5). Used by the server actions in app/(auth); also usable from route handlers.

import { cookies, headers } from "next/headers";
import { claimGuestConversations } from "@/lib/chat/service";
import { getConfig } from "@/lib/config";
import { clearGuestCookie, getGuestSessionId } from "./actor";
import { clientIpFrom } from "./client-ip";
import { localSignIn, localSignUp } from "./local-auth";
import { issueSessionToken, SESSION_COOKIE, sessionCookieOptions } from "./local-session";

export type Credentials = { email: string; password: string };
export type AccountResult =
  | { status: "signed-in"; user: { id: string; email: string | null } }
  /** Supabase projects that confirm emails first: the account exists, no session yet. */
  | { status: "confirm-email"; email: string };

async function supabaseClient() {
  const { createClient } = await import("@/lib/supabase/server");
  return createClient();
}

export async function signUp(input: Credentials): Promise<AccountResult> {
  if (getConfig().mode === "supabase") {
    const { supabaseSignUp } = await import("./supabase-auth");
    const account = await supabaseSignUp(await supabaseClient(), input);
    if (!account.signedIn) return { status: "confirm-email", email: account.email ?? input.email };
    await adoptGuestConversationsSafely(account.id);
    return { status: "signed-in", user: account };
  }
  const account = await localSignUp(input);
  // The session first: the account exists now, whatever happens to the guest conversations.
  await setLocalSession(account);
  await adoptGuestConversationsSafely(account.id);
  return { status: "signed-in", user: account };
}

export async function signIn(input: Credentials): Promise<AccountResult> {
  if (getConfig().mode === "supabase") {
    const { supabaseSignIn } = await import("./supabase-auth");
    const account = await supabaseSignIn(await supabaseClient(), input);
    await adoptGuestConversationsSafely(account.id);
    return { status: "signed-in", user: account };
  }
  const ip = clientIpFrom(await headers());
  const account = await localSignIn({ ...input, ip });
  await setLocalSession(account);
  await adoptGuestConversationsSafely(account.id);
  return { status: "signed-in", user: account };
}

export async function signOut(): Promise<void> {
  if (getConfig().mode === "supabase") {
    const { supabaseSignOut } = await import("./supabase-auth");
    await supabaseSignOut(await supabaseClient());
    return;
  }
  const jar = await cookies();
  jar.delete(SESSION_COOKIE);
}

/**
 * Moves the guest session's conversations (if the visitor has one) to the account, in one SQL
 * step, then forgets the guest session. Harmless to repeat: a second call moves nothing.
 */
export async function adoptGuestConversations(userId: string): Promise<number> {
  const sessionId = await getGuestSessionId();
  if (!sessionId) return 0;
  const moved = await claimGuestConversations(sessionId, userId);
  await clearGuestCookie();
  return moved;
}

/**
 * Moving the guest conversations must not undo a sign-in that already succeeded: on failure it is
 * logged and the guest cookie kept, so the next sign-in moves them (the claim is idempotent).
 */
async function adoptGuestConversationsSafely(userId: string): Promise<void> {
  try {
    await adoptGuestConversations(userId);
  } catch (error) {
    console.error(
      "[auth] could not move the guest conversations; will retry at next sign-in",
      error,
    );
  }
}

async function setLocalSession(account: { id: string; email: string }): Promise<void> {
  const token = await issueSessionToken(account);
  const jar = await cookies();
  jar.set(SESSION_COOKIE, token, sessionCookieOptions());
}
