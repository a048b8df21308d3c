// The built-in sign-in (embedded and postgres modes) behind the sign-in port: accounts and
// sessions in the database (local-auth.ts), a 10-minute access JWT in pc_session
// (local-session.ts) and a refresh token in pc_refresh, exchanged by the proxy
// (session-refresh.ts) before the access token runs out. Deleting an account deletes its row,
// and so its sessions, in the same SQL step as its data.

import "server-only";
import { cookies, headers } from "next/headers";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { insideApiHandler } from "@/lib/http/api-scope";
import { eraseAccountData } from "./account-data";
import { clientIpFrom } from "./client-ip";
import {
  type LocalSignedIn,
  localRefresh,
  localRevoke,
  localRevokeAll,
  localSessionUser,
  localSignIn,
  localSignUp,
} from "./local-auth";
import {
  REFRESH_COOKIE,
  SESSION_COOKIE,
  sessionCookieOptions,
  verifySessionToken,
} from "./local-session";
import type { AuthPort, SignedInUser } from "./port";
import { refreshLocalSession, sessionCookies } from "./session-refresh";

type CookieJar = Awaited<ReturnType<typeof cookies>>;

async function setSession(
  jar: CookieJar,
  signedIn: Omit<LocalSignedIn, "refreshToken"> & { refreshToken: string | null },
) {
  for (const { name, value, maxAge } of await sessionCookies(signedIn)) {
    jar.set(name, value, sessionCookieOptions(maxAge));
  }
}

function clearSession(jar: CookieJar) {
  jar.delete(SESSION_COOKIE);
  jar.delete(REFRESH_COOKIE);
}

/** The built-in sign-in has no mail server, so no email link exists; an operator resets passwords. */
export const NO_EMAIL_MESSAGE =
  "This site sends no email. To reset a password, ask the site's operator: they run `npm run user:reset-password -- <email>`.";

export const localAuthPort: AuthPort = {
  kind: "local",
  sendsEmail: false,

  async currentUser(): Promise<SignedInUser | null> {
    const jar = await cookies();
    const claims = await verifySessionToken(jar.get(SESSION_COOKIE)?.value);
    const db = await getDb();
    // The token proves who it was issued to; the database says whether that session still runs.
    if (claims) return localSessionUser(db, claims.session_id);
    // An expired access token: the proxy renews it before pages render; a server action (whose
    // POST the proxy leaves alone) and an API call with a body (which skips the proxy) renew it
    // here, where cookies can be set.
    const refreshToken = jar.get(REFRESH_COOKIE)?.value;
    const canSetCookies = insideApiHandler() || (await headers()).has("next-action");
    if (!refreshToken || !canSetCookies) return null;
    const refreshed = await localRefresh(db, refreshToken);
    if (!refreshed) {
      clearSession(jar);
      return null;
    }
    await setSession(jar, refreshed);
    return refreshed.user;
  },

  async signUp(input) {
    const ip = clientIpFrom(await headers());
    const { signUpsPerIpPerHour } = getConfig().limits;
    const signedIn = await localSignUp(
      await getDb(),
      { ...input, ip },
      { maxPerIp: signUpsPerIpPerHour, windowSeconds: 3600 },
    );
    await setSession(await cookies(), signedIn);
    return { status: "signed-in", user: signedIn.user };
  },

  async signIn(input) {
    const ip = clientIpFrom(await headers());
    const signedIn = await localSignIn(await getDb(), { ...input, ip });
    await setSession(await cookies(), signedIn);
    return signedIn.user;
  },

  async signOut() {
    const jar = await cookies();
    const claims = await verifySessionToken(jar.get(SESSION_COOKIE)?.value);
    await localRevoke(await getDb(), {
      sessionId: claims?.session_id ?? null,
      refreshToken: jar.get(REFRESH_COOKIE)?.value ?? null,
    });
    clearSession(jar);
  },

  async signOutEverywhere() {
    const user = await this.currentUser();
    if (user) await localRevokeAll(await getDb(), user.id);
    clearSession(await cookies());
  },

  async deleteAccount(userId) {
    // The auth.users row goes in the same SQL step, and its sessions (local_auth.sessions) with
    // it by cascade: every device's refresh token stops working at once.
    const deleted = await eraseAccountData(userId, { deleteAuthUser: true });
    clearSession(await cookies());
    return deleted;
  },

  async confirmEmail() {
    throw new AppError("forbidden", NO_EMAIL_MESSAGE);
  },

  async requestPasswordReset() {
    throw new AppError("forbidden", NO_EMAIL_MESSAGE);
  },

  async updatePassword() {
    throw new AppError("forbidden", NO_EMAIL_MESSAGE);
  },

  refreshSession: refreshLocalSession,
};
