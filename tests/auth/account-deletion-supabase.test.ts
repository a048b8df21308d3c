// Deleting an account in supabase mode, through the /account page's server action and the
// Supabase sign-in port: the SQL step on a real database (PGlite) leaves auth.users alone, and the
// REAL supabase-js client deletes the user through the Auth Admin API (GET then DELETE
// /auth/v1/admin/users/{id}, with the secret key) against the Supabase Auth STAND-IN
// (tests/auth/support/supabase-auth-stand-in.ts); this browser's cookies are cleared, the old
// password no longer signs in, the account's recordings are removed from Storage, another user is
// untouched. When the Admin API refuses, the action answers with a stable code, the user stays
// signed in, and trying again finishes. next/headers is an in-memory cookie jar.
//
// Storage has no stand-in here: the test watches the real requests supabase-js makes (a spy on
// fetch that passes them through) and the stand-in answers Storage's with a 404, which the audio
// store logs and tolerates, as it does any failed removal.

import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DbPort } from "@/lib/db";
import { setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";
import { startSupabaseAuthStandIn } from "./support/supabase-auth-stand-in";

type Cookie = { value: string; options?: Record<string, unknown> };
const jar = vi.hoisted(() => {
  const values = new Map<string, Cookie>();
  return {
    values,
    get: (name: string) =>
      values.has(name) ? { name, value: values.get(name)?.value } : undefined,
    getAll: () => [...values].map(([name, c]) => ({ name, value: c.value })),
    // @supabase/ssr removes a cookie by setting it empty with maxAge 0, as a browser would see it.
    set: (name: string, value: string, options?: Record<string, unknown>) => {
      if (value === "" || options?.maxAge === 0) values.delete(name);
      else values.set(name, { value, options });
    },
    delete: (name: string) => {
      values.delete(name);
    },
  };
});
const requestHeaders = vi.hoisted(() => new Headers({ "x-forwarded-for": "203.0.113.52" }));

vi.mock("next/headers", () => ({ cookies: async () => jar, headers: async () => requestHeaders }));

const standIn = await startSupabaseAuthStandIn();
const SUPABASE_ENV = {
  APP_SECRET: "account-deletion-supabase-secret-0123456789abcdef",
  NEXT_PUBLIC_SUPABASE_URL: standIn.url,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: standIn.publishableKey,
  SUPABASE_SECRET_KEY: standIn.secretKey,
};
// Supabase mode whatever the calling shell has set (lib/config reads this on first use).
Object.assign(process.env, {
  ...SUPABASE_ENV,
  DATABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
  SUPABASE_SERVICE_ROLE_KEY: "",
});

const { setConfigForTests } = await import("@/lib/config");
const { deleteAccountAction } = await import("@/app/(chat)/account/actions");
const { signInAction, signUpAction } = await import("@/app/(auth)/actions");
const { getActor } = await import("@/lib/auth/actor");
const { getAuth } = await import("@/lib/auth");
const { supabaseDeleteUser } = await import("@/lib/auth/supabase-admin");
const { createServiceClient } = await import("@/lib/db/supabase-transport");
const service = await import("@/lib/chat/service");

const COOKIE = "sb-localhost-auth-token";
const PASSWORD = "Quiet-meadow-31";
let counter = 0;
const newEmail = () => `supa-deletion-${Date.now()}-${++counter}@example.com`;

let pglite: PGlite;
let port: DbPort;
let restoreDb: () => void = () => {};
const sql = async (text: string, params?: unknown[]) =>
  (await pglite.query<Record<string, unknown>>(text, params)).rows;

beforeAll(async () => {
  setConfigForTests(SUPABASE_ENV);
  ({ db: pglite, port } = await freshPglitePort());
  restoreDb = setDbForTests(port);
});
afterAll(async () => {
  restoreDb();
  setConfigForTests();
  await pglite?.close();
  await standIn.close();
});
beforeEach(() => {
  jar.values.clear();
  setConfigForTests(SUPABASE_ENV);
  vi.restoreAllMocks();
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

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

const authCookies = () => [...jar.values.keys()].filter((n) => n.startsWith(COOKIE));

type Member = {
  email: string;
  userId: string;
  cookies: Map<string, Cookie>;
  conversationId: string;
  storagePath: string;
};

/**
 * Signs up at the stand-in through the real action, mirrors the user into auth.users (on
 * Supabase, Auth and the tables share one database), and talks in a conversation: a typed
 * message with a reply, and a voice message whose recording is "in Storage".
 */
async function member(): Promise<Member> {
  jar.values.clear();
  const email = newEmail();
  expect(await redirectOf(signUpAction({}, form({ email, password: PASSWORD })))).toBe("/");
  const actor = await getActor();
  if (actor?.kind !== "user") throw new Error("expected a signed-in user");
  await sql("insert into auth.users (id, email) values ($1, $2)", [actor.userId, email]);
  const [persona] = await service.listPersonas();
  if (!persona) throw new Error("no personas");
  const conversation = await service.startConversation(actor, persona.id);
  const posted = await service.postUserMessage(actor, conversation.id, "hello there");
  await service.saveAssistantMessage(actor, conversation.id, "hi!", posted.userMessage.id, {
    leaseId: posted.lease.id,
  });
  const storagePath = `${conversation.id}/voice-${randomUUID()}.webm`;
  const voiced = await service.postVoiceMessage(actor, conversation.id, "spoken words", {
    contentType: "audio/webm",
    byteSize: 4,
    durationMs: 1000,
    dataBase64: null,
    storagePath,
  });
  await service.setConversationStatus(actor, conversation.id, "error", voiced.lease.id);
  return {
    email,
    userId: actor.userId,
    cookies: new Map(jar.values),
    conversationId: conversation.id,
    storagePath,
  };
}

function signInAs(m: Member) {
  jar.values.clear();
  for (const [name, cookie] of m.cookies) jar.values.set(name, cookie);
}

async function leftOf(m: Member) {
  const [row] = await sql(
    `select
       (select count(*)::int from auth.users where id = $1) as users,
       (select count(*)::int from public.conversations where user_id = $1) as conversations,
       (select count(*)::int from public.messages where conversation_id = $2) as messages,
       (select count(*)::int from chat_private.usage_events where subject = 'user:' || $1::text) as usage`,
    [m.userId, m.conversationId],
  );
  return row;
}

/** The requests supabase-js sent, as `METHOD url` with their apikey header and JSON body. */
function watchFetch() {
  const seen: { call: string; apikey: string | null; body: unknown }[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const text = init?.body && typeof init.body === "string" ? init.body : null;
    seen.push({
      call: `${request.method} ${request.url.replace(standIn.url, "")}`,
      apikey: request.headers.get("apikey"),
      body: text ? JSON.parse(text) : null,
    });
    return original(input, init);
  });
  return seen;
}

describe("account deletion in supabase mode", () => {
  it("deletes the data in SQL, the user through the Auth Admin API, and signs out", async () => {
    expect((await getAuth()).kind).toBe("supabase");
    const bystander = await member();
    const m = await member();
    expect(await leftOf(m)).toMatchObject({ users: 1, conversations: 1, messages: 3 });

    signInAs(m);
    expect(authCookies().length).toBeGreaterThan(0);
    const seen = watchFetch();
    // The stand-in's 404 for Storage: the audio store logs it (a warning), the deletion goes on.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    standIn.calls.length = 0;
    const to = await redirectOf(deleteAccountAction({}, form({ confirmation: m.email })));
    expect(to).toBe("/?notice=account-deleted");

    // The Auth Admin API, with the secret key: supabase-js reads the user, then deletes it.
    const admin = `/auth/v1/admin/users/${m.userId}`;
    expect(standIn.calls.filter((c) => c.includes("/admin/"))).toEqual([
      `GET ${admin}`,
      `DELETE ${admin}`,
    ]);
    const deleteRequest = seen.find((s) => s.call === `DELETE ${admin}`);
    expect(deleteRequest).toMatchObject({
      apikey: standIn.secretKey,
      body: { should_soft_delete: false },
    });
    // The recording's Storage object is asked to go (the secret key again, never the public one).
    const removal = seen.find((s) => s.call === "DELETE /storage/v1/object/message-audio");
    expect(removal).toMatchObject({
      apikey: standIn.secretKey,
      body: { prefixes: [m.storagePath] },
    });
    expect(warn).toHaveBeenCalledWith(
      `[voice] could not remove ${m.storagePath}`,
      expect.anything(),
    );
    // Then this browser signs out: no session cookie is left.
    expect(standIn.calls.at(-1)).toBe("POST /auth/v1/logout?scope=local");
    expect(authCookies()).toEqual([]);
    expect(await (await getAuth()).currentUser()).toBeNull();

    // The SQL step removed the data and, as told, left auth.users to Supabase Auth (whose delete
    // removes the row on a real project; here the stand-in keeps its users apart).
    expect(await leftOf(m)).toEqual({ users: 1, conversations: 0, messages: 0, usage: 0 });
    const ghost = { kind: "user" as const, userId: m.userId, email: m.email };
    await expect(service.getConversation(ghost, m.conversationId)).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });

    // The old session and password are gone at Auth.
    signInAs(m);
    expect(await (await getAuth()).currentUser()).toBeNull();
    jar.values.clear();
    const again = await signInAction({}, form({ email: m.email, password: PASSWORD }));
    expect(again).toMatchObject({ code: "invalid_credentials" });

    // The other user: still signed in, with their conversation and its messages.
    signInAs(bystander);
    expect(await getActor()).toMatchObject({ kind: "user", userId: bystander.userId });
    expect(await leftOf(bystander)).toMatchObject({ users: 1, conversations: 1, messages: 3 });
    jar.values.clear();
    await redirectOf(signInAction({}, form({ email: bystander.email, password: PASSWORD })));
  });

  it("answers with a stable code when the Admin API refuses, and a retry finishes", async () => {
    const m = await member();
    signInAs(m);
    // A misconfigured server: the public key where the secret one belongs (GoTrue: not_admin).
    setConfigForTests({ ...SUPABASE_ENV, SUPABASE_SECRET_KEY: standIn.publishableKey });
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const refused = await deleteAccountAction({}, form({ confirmation: "delete" }));
    expect(refused).toEqual({
      confirmation: "delete",
      error: {
        code: "internal",
        message: "We could not finish deleting your account just now. Try again shortly.",
      },
    });
    // Still signed in, and still known to Auth: nothing has signed them out half-way.
    expect(authCookies().length).toBeGreaterThan(0);
    expect(await getActor()).toMatchObject({ kind: "user", userId: m.userId });

    setConfigForTests(SUPABASE_ENV);
    expect(await redirectOf(deleteAccountAction({}, form({ confirmation: "delete" })))).toBe(
      "/?notice=account-deleted",
    );
    expect(authCookies()).toEqual([]);
    expect(await leftOf(m)).toMatchObject({ conversations: 0, messages: 0 });
    const again = await signInAction({}, form({ email: m.email, password: PASSWORD }));
    expect(again).toMatchObject({ code: "invalid_credentials" });
  });

  it("supabaseDeleteUser: the admin endpoint needs the secret key; an unknown user counts as gone", async () => {
    const m = await member();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const publicClient = createServiceClient({
      url: standIn.url,
      secretKey: standIn.publishableKey,
    });
    await expect(supabaseDeleteUser(publicClient, m.userId)).rejects.toMatchObject({
      code: "internal",
    });
    const adminClient = createServiceClient({ url: standIn.url, secretKey: standIn.secretKey });
    await supabaseDeleteUser(adminClient, m.userId);
    standIn.calls.length = 0;
    await expect(supabaseDeleteUser(adminClient, m.userId)).resolves.toBeUndefined();
    expect(standIn.calls).toEqual([`GET /auth/v1/admin/users/${m.userId}`]);
  });
});
