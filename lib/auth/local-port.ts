// The built-in sign-in (embedded and postgres modes) behind the sign-in port: accounts in
// auth.users checked by SQL functions (local-auth.ts), a signed JWT in the pc_session cookie
// (local-session.ts), re-issued by the proxy past half-life (session-refresh.ts).

import "server-only";
import { cookies, headers } from "next/headers";
import { clientIpFrom } from "./client-ip";
import { localSignIn, localSignUp } from "./local-auth";
import {
  issueSessionToken,
  SESSION_COOKIE,
  sessionCookieOptions,
  verifySessionToken,
} from "./local-session";
import type { AuthPort, SignedInUser } from "./port";
import { refreshLocalSession } from "./session-refresh";

async function setSession(account: { id: string; email: string }): Promise<void> {
  const token = await issueSessionToken(account);
  const jar = await cookies();
  jar.set(SESSION_COOKIE, token, sessionCookieOptions());
}

export const localAuthPort: AuthPort = {
  kind: "local",

  async currentUser(): Promise<SignedInUser | null> {
    const jar = await cookies();
    const claims = await verifySessionToken(jar.get(SESSION_COOKIE)?.value);
    return claims ? { id: claims.sub, email: claims.email } : null;
  },

  async signUp(input) {
    const account = await localSignUp(input);
    await setSession(account);
    return { status: "signed-in", user: account };
  },

  async signIn(input) {
    const ip = clientIpFrom(await headers());
    const account = await localSignIn({ ...input, ip });
    await setSession(account);
    return account;
  },

  async signOut() {
    const jar = await cookies();
    jar.delete(SESSION_COOKIE);
  },

  refreshSession: refreshLocalSession,
};
