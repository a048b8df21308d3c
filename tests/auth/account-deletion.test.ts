// Deleting an account in the built-in sign-in modes, through the /account page's server action
// (app/(chat)/account/actions.ts) with next/headers replaced by an in-memory cookie jar, on a real
// database: PGlite always, the PostgreSQL server too when TEST_DATABASE_URL is set. After the
// deletion the user is signed out on every device, cannot sign in, their conversations read 404
// and are gone from the database (messages, audio, usage counts, sessions, the auth.users row),
// and another user's data is untouched. A wrong confirmation or no session deletes nothing.

import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DbPort } from "@/lib/db";
import { setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";

type Cookie = { value: string; options?: Record<string, unknown> };
const jar = vi.hoisted(() => {
  const values = new Map<string, Cookie>();
  return {
    values,
    get: (name: string) =>
      values.has(name) ? { name, value: values.get(name)?.value } : undefined,
    getAll: () => [...values].map(([name, c]) => ({ name, value: c.value })),
    set: (name: string, value: string, options?: Record<string, unknown>) => {
      values.set(name, { value, options });
    },
    delete: (name: string) => {
      values.delete(name);
    },
  };
});
const requestHeaders = vi.hoisted(() => new Headers({ "x-forwarded-for": "203.0.113.41" }));

vi.mock("next/headers", () => ({ cookies: async () => jar, headers: async () => requestHeaders }));

// Built-in mode whatever the calling shell has set (lib/config reads this on first use).
Object.assign(process.env, {
  APP_SECRET: "account-deletion-tests-secret-0123456789abcdef",
  DATABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
  SUPABASE_SECRET_KEY: "",
  SUPABASE_SERVICE_ROLE_KEY: "",
});

const { deleteAccountAction } = await import("@/app/(chat)/account/actions");
const { signInAction, signUpAction } = await import("@/app/(auth)/actions");
const { getActor, getOrCreateActor } = await import("@/lib/auth/actor");
const { localRefresh, localSessionUser } = await import("@/lib/auth/local-auth");
const { REFRESH_COOKIE, SESSION_COOKIE, verifySessionToken } = await import(
  "@/lib/auth/local-session"
);
const { getAuth } = await import("@/lib/auth");
const service = await import("@/lib/chat/service");

type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
type Backend = { port: DbPort; sql: Sql; close(): Promise<void> };

const PASSWORD = "Lantern-orchard-9";
let counter = 0;
const newEmail = () => `deletion-${Date.now()}-${++counter}@example.com`;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/** Runs an action that should redirect; returns where to. */
async function redirectOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    (state) => {
      throw new Error(`expected a redirect, got ${JSON.stringify(state)}`);
    },
    (e: unknown) => e as { digest?: string },
  );
  const digest = String(error.digest ?? "");
  expect(digest.startsWith("NEXT_REDIRECT;")).toBe(true);
  return digest.split(";").slice(2, -2).join(";");
}

type Member = {
  email: string;
  userId: string;
  cookies: Map<string, Cookie>;
  conversationIds: string[];
};

/** Signs up through the real action, then starts two conversations and talks in them. */
async function memberWithConversations(): Promise<Member> {
  jar.values.clear();
  const email = newEmail();
  expect(await redirectOf(signUpAction({}, form({ email, password: PASSWORD })))).toBe("/");
  const actor = await getActor();
  if (actor?.kind !== "user") throw new Error("expected a signed-in user");
  const [persona] = await service.listPersonas();
  if (!persona) throw new Error("no personas");
  const conversationIds: string[] = [];
  for (const text of ["first conversation", "second conversation"]) {
    const conversation = await service.startConversation(actor, persona.id);
    const posted = await service.postUserMessage(actor, conversation.id, text);
    await service.saveAssistantMessage(
      actor,
      conversation.id,
      `a reply to ${text}`,
      posted.userMessage.id,
      { leaseId: posted.lease.id },
    );
    conversationIds.push(conversation.id);
  }
  return { email, userId: actor.userId, cookies: new Map(jar.values), conversationIds };
}

function signInAs(member: Member) {
  jar.values.clear();
  for (const [name, cookie] of member.cookies) jar.values.set(name, cookie);
}

/** What the database still holds of a user, table by table. */
async function leftOf(sql: Sql, userId: string, conversationIds: string[]) {
  const [row] = await sql(
    `select
       (select count(*)::int from auth.users where id = $1) as users,
       (select count(*)::int from local_auth.sessions where user_id = $1) as sessions,
       (select count(*)::int from public.conversations where user_id = $1) as conversations,
       (select count(*)::int from public.conversations where id = any($2::uuid[])) as by_id,
       (select count(*)::int from public.messages where conversation_id = any($2::uuid[])) as messages,
       (select count(*)::int from chat_private.usage_events where subject = 'user:' || $1::text) as usage`,
    [userId, conversationIds],
  );
  return row;
}

function deletionScenarios(label: string, open: () => Promise<Backend>) {
  describe(label, () => {
    let backend: Backend;
    let restore: () => void = () => {};

    beforeAll(async () => {
      backend = await open();
      restore = setDbForTests(backend.port);
    });
    afterAll(async () => {
      restore();
      await backend?.close();
    });
    beforeEach(() => jar.values.clear());

    it("deletes everything of the account, signs it out everywhere, and leaves others alone", async () => {
      expect((await getAuth()).kind).toBe("local");
      const bystander = await memberWithConversations();
      const member = await memberWithConversations();
      // A second device of the same account, signed in with the password.
      jar.values.clear();
      await redirectOf(signInAction({}, form({ email: member.email, password: PASSWORD })));
      const phone = new Map(jar.values);

      const before = await leftOf(backend.sql, member.userId, member.conversationIds);
      expect(before).toMatchObject({ users: 1, sessions: 2, conversations: 2, messages: 4 });
      expect(before?.usage).toBeGreaterThan(0);

      signInAs(member);
      const claims = await verifySessionToken(jar.values.get(SESSION_COOKIE)?.value);
      const refreshToken = jar.values.get(REFRESH_COOKIE)?.value ?? "";
      expect(claims?.session_id).toBeTruthy();

      const to = await redirectOf(
        deleteAccountAction({}, form({ confirmation: ` ${member.email.toUpperCase()} ` })),
      );
      expect(to).toBe("/?notice=account-deleted");

      // This browser is signed out: its cookies are gone, and nobody is signed in.
      expect(jar.values.has(SESSION_COOKIE)).toBe(false);
      expect(jar.values.has(REFRESH_COOKIE)).toBe(false);
      expect(await (await getAuth()).currentUser()).toBeNull();
      // Every session ended with the account: this one's, and the phone's.
      await expect(localSessionUser(backend.port, claims?.session_id ?? "")).resolves.toBeNull();
      await expect(localRefresh(backend.port, refreshToken)).resolves.toBeNull();
      await expect(
        localRefresh(backend.port, phone.get(REFRESH_COOKIE)?.value ?? ""),
      ).resolves.toBeNull();

      // Nothing of it is left in the database.
      expect(await leftOf(backend.sql, member.userId, member.conversationIds)).toEqual({
        users: 0,
        sessions: 0,
        conversations: 0,
        by_id: 0,
        messages: 0,
        usage: 0,
      });
      // Its conversations read 404, even for a request claiming its id.
      const ghost = { kind: "user" as const, userId: member.userId, email: member.email };
      for (const id of member.conversationIds) {
        await expect(service.getConversation(ghost, id)).rejects.toMatchObject({
          code: "not_found",
          status: 404,
        });
      }

      // The password no longer signs in (the same answer as for any unknown email).
      jar.values.clear();
      const again = await signInAction({}, form({ email: member.email, password: PASSWORD }));
      expect(again).toMatchObject({ code: "invalid_credentials" });
      expect(jar.values.has(SESSION_COOKIE)).toBe(false);

      // The other account is untouched: still signed in, with its conversations and messages.
      expect(await leftOf(backend.sql, bystander.userId, bystander.conversationIds)).toMatchObject({
        users: 1,
        sessions: 1,
        conversations: 2,
        by_id: 2,
        messages: 4,
      });
      signInAs(bystander);
      const actor = await getActor();
      expect(actor).toMatchObject({ kind: "user", userId: bystander.userId });
      if (actor?.kind !== "user") throw new Error("expected the bystander");
      const detail = await service.getConversation(actor, bystander.conversationIds[0] ?? "");
      expect(detail.messages.map((m) => m.content)).toEqual([
        "first conversation",
        "a reply to first conversation",
      ]);

      // The email is free again: a new account can take it, and starts empty.
      jar.values.clear();
      await redirectOf(signUpAction({}, form({ email: member.email, password: PASSWORD })));
      const reborn = await getActor();
      if (reborn?.kind !== "user") throw new Error("expected a new account");
      expect(reborn.userId).not.toBe(member.userId);
      expect(await service.listConversations(reborn)).toEqual([]);
    });

    it("accepts the word delete as the confirmation", async () => {
      const member = await memberWithConversations();
      signInAs(member);
      expect(await redirectOf(deleteAccountAction({}, form({ confirmation: "Delete" })))).toBe(
        "/?notice=account-deleted",
      );
      expect(await leftOf(backend.sql, member.userId, member.conversationIds)).toMatchObject({
        users: 0,
        conversations: 0,
      });
    });

    it("deletes nothing on a wrong or empty confirmation, or without a session", async () => {
      const member = await memberWithConversations();
      const before = await leftOf(backend.sql, member.userId, member.conversationIds);

      signInAs(member);
      const wrong = await deleteAccountAction({}, form({ confirmation: `x${member.email}` }));
      expect(wrong).toEqual({
        fieldError: "Type your email address exactly as shown, or the word delete.",
        confirmation: `x${member.email}`,
      });
      const empty = await deleteAccountAction({}, form({ confirmation: "   " }));
      expect(empty.fieldError).toBe("Type your email address to confirm.");
      const missing = await deleteAccountAction({}, new FormData());
      expect(missing.fieldError).toBe("Type your email address to confirm.");
      // Still signed in, with everything.
      expect(jar.values.has(SESSION_COOKIE)).toBe(true);
      expect((await getActor())?.kind).toBe("user");

      // Someone else's email does not confirm this account's deletion either.
      const other = await deleteAccountAction({}, form({ confirmation: "someone@example.com" }));
      expect(other.fieldError).toMatch(/exactly as shown/);

      // No session (signed out, or cookies lost): refused, with a stable code.
      jar.values.clear();
      const anonymous = await deleteAccountAction({}, form({ confirmation: member.email }));
      expect(anonymous).toEqual({
        confirmation: member.email,
        error: { code: "unauthorized", message: "Sign in again to delete your account." },
      });
      // A guest (guest cookie, no account) is no different.
      await service.startConversation(
        await getOrCreateActor(),
        (await service.listPersonas())[0]?.id ?? randomUUID(),
      );
      const guest = await deleteAccountAction({}, form({ confirmation: "delete" }));
      expect(guest.error?.code).toBe("unauthorized");

      expect(await leftOf(backend.sql, member.userId, member.conversationIds)).toEqual(before);
    });
  });
}

deletionScenarios("account deletion, built-in sign-in, on PGlite", async () => {
  const { db, port }: { db: PGlite; port: DbPort } = await freshPglitePort();
  return {
    port,
    sql: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    close: () => db.close(),
  };
});

describeServer("on the PostgreSQL server", () => {
  deletionScenarios("account deletion, built-in sign-in, on PostgreSQL", async () => {
    const scratch = await migratedServerDatabase("deletion");
    const { port, pool }: { port: DbPort; pool: pg.Pool } = serverPort(scratch.url, 4);
    return {
      port,
      sql: async (text, params) => (await pool.query(text, params)).rows,
      close: async () => {
        await pool.end();
        await scratch.drop();
      },
    };
  });
});
