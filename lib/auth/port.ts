// The sign-in port: one interface for who is signed in and for signing up, in and out, with a
// built-in implementation (lib/auth/local-port.ts) and a Supabase Auth one
// (lib/auth/supabase-port.ts), chosen once by mode in lib/auth/index.ts. Nothing else branches on
// the mode to sign someone in.

import type { NextRequest, NextResponse } from "next/server";

export type SignedInUser = { id: string; email: string | null };

export type Credentials = { email: string; password: string };

export type SignUpResult =
  | { status: "signed-in"; user: SignedInUser }
  /** Supabase projects that confirm emails first: the account exists, no session yet. */
  | { status: "confirm-email"; email: string };

export interface AuthPort {
  readonly kind: "local" | "supabase";
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
  /** Called by root proxy.ts on every request: keeps an active visitor's session fresh. */
  refreshSession(request: NextRequest): Promise<NextResponse>;
}
