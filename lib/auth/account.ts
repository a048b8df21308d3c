// Signing up, in and out for the current request, through the sign-in port, then moving the
// visitor's guest conversations to the account in one SQL step. Used by the server actions in
// app/(auth); also usable from route handlers.

import "server-only";
import { claimGuestConversations } from "@/lib/chat/service";
import { clearGuestCookie, getGuestSessionId } from "./actor";
import { getAuth } from "./index";
import type { Credentials, SignedInUser, SignUpResult } from "./port";

export type { Credentials } from "./port";
export type AccountResult = SignUpResult;

export async function signUp(input: Credentials): Promise<AccountResult> {
  // The session first: the account exists now, whatever happens to the guest conversations.
  const result = await (await getAuth()).signUp(input);
  if (result.status === "signed-in") await adoptGuestConversationsSafely(result.user.id);
  return result;
}

export async function signIn(input: Credentials): Promise<AccountResult> {
  const user: SignedInUser = await (await getAuth()).signIn(input);
  await adoptGuestConversationsSafely(user.id);
  return { status: "signed-in", user };
}

export async function signOut(): Promise<void> {
  await (await getAuth()).signOut();
}

export async function signOutEverywhere(): Promise<void> {
  await (await getAuth()).signOutEverywhere();
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
