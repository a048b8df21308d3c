// The sign-in port: one interface for who is signed in and for signing up, in and out, with a
// built-in implementation (lib/auth/local-port.ts) and a Supabase Auth one
// (lib/auth/supabase-port.ts), chosen once by mode in lib/auth/index.ts. Nothing else branches on
// the mode to sign someone in.

import type { NextRequest, NextResponse } from "next/server";
import type { DeletedAccount } from "@/lib/chat/types";

export type SignedInUser = { id: string; email: string | null };

export type Credentials = { email: string; password: string };

export type SignUpResult =
  | { status: "signed-in"; user: SignedInUser }
  /** Supabase projects that confirm emails first: the account exists, no session yet. */
  | { status: "confirm-email"; email: string };

/** The kinds of email link Supabase Auth sends that land on /auth/confirm. */
export type EmailLinkType =
  | "signup"
  | "invite"
  | "magiclink"
  | "recovery"
  | "email_change"
  | "email";

export type EmailLink = { tokenHash: string; type: EmailLinkType };

export interface AuthPort {
  readonly kind: "local" | "supabase";
  /**
   * Whether this sign-in sends email (confirmation and password-reset links). The built-in one
   * has no mail server: the operator resets passwords with `npm run user:reset-password`.
   */
  readonly sendsEmail: boolean;
  /** The user signed in on this request (from its cookies), or null; never throws for a bad cookie. */
  currentUser(): Promise<SignedInUser | null>;
  /** Creates the account and, unless the email must be confirmed first, signs it in (cookies). */
  signUp(input: Credentials): Promise<SignUpResult>;
  /** Checks the credentials and sets the session cookies. */
  signIn(input: Credentials): Promise<SignedInUser>;
  /** Ends this browser's session and removes its cookies. */
  signOut(): Promise<void>;
  /** Ends every session of the signed-in user, on every device, and removes this one's cookies. */
  signOutEverywhere(): Promise<void>;
  /**
   * Completes an email link (confirmation, password recovery) from its token hash and signs the
   * visitor in (cookies). invalid_credentials when the link is expired, used or unknown.
   */
  confirmEmail(link: EmailLink): Promise<SignedInUser>;
  /**
   * Sends a password-reset link to the address, if it has an account (the answer is the same
   * either way, so nobody learns which addresses do). `redirectTo` is where the link leads.
   */
  requestPasswordReset(email: string, redirectTo: string): Promise<void>;
  /** Sets a new password for the signed-in user (after a recovery link); unauthorized without one. */
  updatePassword(password: string): Promise<void>;
  /**
   * Deletes the account and everything in it (lib/auth/account-data.ts), the user too: its row
   * in the database (built-in sign-in, whose sessions go with it) or through the Auth Admin API
   * (Supabase, which ends its sessions). Then removes this browser's session cookies.
   */
  deleteAccount(userId: string): Promise<DeletedAccount>;
  /** Called by root proxy.ts on every request: keeps an active visitor's session fresh. */
  refreshSession(request: NextRequest): Promise<NextResponse>;
}
