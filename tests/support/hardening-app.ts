// The app's HTTP API as the hardening tests drive it: the real route handlers of app/api, called
// in-process for one browser (a CookieJar) at a time or for many at once, on a scratch database
// of the real PostgreSQL server. The test file must replace next/headers with the per-request
// stand-in of request-scope.ts before this module loads:
//   vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

import type pg from "pg";
import { POST as postMessageRoute } from "@/app/api/conversations/[id]/messages/route";
import { POST as retryRoute } from "@/app/api/conversations/[id]/retry/route";
import { GET as getConversationRoute } from "@/app/api/conversations/[id]/route";
import { POST as createRoute, GET as listRoute } from "@/app/api/conversations/route";
import { GET as personasRoute } from "@/app/api/personas/route";
import { setConfigForTests } from "@/lib/config";
import { setDbForTests } from "@/lib/db";
import type { DbPort } from "@/lib/db/types";
import { type CookieJar, callRoute } from "./request-scope";
import { migratedServerDatabase, serverPort } from "./server";

export const BASE = "http://app.test/api";

/** The settings every hardening test starts from (the tests add their own on top). */
export const BASE_ENV = {
  APP_SECRET: "hardening-tests-secret-0123456789abcdefghij",
  GUEST_MESSAGE_LIMIT: "10",
  CLIENT_IP_HEADER: "x-forwarded-for",
  BUILTIN_ENGINE_DELAY_MS: "0",
} as const;

export type ServerApp = {
  url: string;
  port: DbPort;
  pool: pg.Pool;
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Replaces the settings (on top of BASE_ENV). */
  configure(env?: Record<string, string>): void;
  close(): Promise<void>;
};

/** A migrated scratch database on the server, made the app's database, with `connections`. */
export async function startServerApp(
  prefix: string,
  env: Record<string, string> = {},
  connections = 20,
): Promise<ServerApp> {
  const scratch = await migratedServerDatabase(prefix);
  const { port, pool } = serverPort(scratch.url, connections);
  // Open every connection up front, so concurrent calls do not queue behind connection set-up.
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  for (const client of clients) client.release();
  const restoreDb = setDbForTests(port);
  const configure = (more: Record<string, string> = env) =>
    void setConfigForTests({ ...BASE_ENV, ...more });
  configure(env);
  return {
    url: scratch.url,
    port,
    pool,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    configure,
    close: async () => {
      restoreDb();
      setConfigForTests();
      await port.close();
      await scratch.drop();
    },
  };
}

export const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

/** Headers of a request from the browser at `ip` (as the nearest proxy appended it). */
function from(ip: string | null, more: Record<string, string> = {}): Record<string, string> {
  return ip === null ? more : { "x-forwarded-for": ip, ...more };
}

function jsonPost(path: string, body: unknown, headers: Record<string, string>): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function personaIds(): Promise<string[]> {
  const response = await personasRoute(new Request(`${BASE}/personas`), undefined);
  return ((await response.json()) as { personas: { id: string }[] }).personas.map((p) => p.id);
}

/** POST /api/conversations from `jar` at `ip`; `headers` replace the address header if given. */
export async function createConversation(
  jar: CookieJar,
  personaId: string,
  ip: string | null,
  headers?: Record<string, string>,
): Promise<Response> {
  const request = jsonPost("/conversations", { personaId }, headers ?? from(ip));
  return callRoute(jar, createRoute, request, undefined);
}

/** POST .../messages; streamed unless `json`. */
export function postMessage(
  jar: CookieJar,
  conversationId: string,
  content: string,
  ip: string | null,
  options: { json?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const accept: Record<string, string> = options.json ? { accept: "application/json" } : {};
  const request = jsonPost(
    `/conversations/${conversationId}/messages`,
    { content },
    { ...(options.headers ?? from(ip)), ...accept },
  );
  return callRoute(jar, postMessageRoute, request, ctx(conversationId));
}

/** POST .../retry, answered as JSON. */
export function retry(jar: CookieJar, conversationId: string, ip: string | null) {
  const request = jsonPost(
    `/conversations/${conversationId}/retry`,
    undefined,
    from(ip, {
      accept: "application/json",
    }),
  );
  return callRoute(jar, retryRoute, request, ctx(conversationId));
}

export type ConversationBody = {
  conversation: { id: string; status: string };
  messages: { id: string; role: string; content: string }[];
  allowance: { limit: number; used: number; remaining: number } | null;
  hasMore: boolean;
  nextBefore: string | null;
};

/** GET /api/conversations/{id}: status, the parsed body and its size in bytes. */
export async function getConversation(jar: CookieJar, conversationId: string, query = "") {
  const request = new Request(`${BASE}/conversations/${conversationId}${query}`);
  const response = await callRoute(jar, getConversationRoute, request, ctx(conversationId));
  const text = await response.text();
  return {
    status: response.status,
    bytes: Buffer.byteLength(text),
    body: JSON.parse(text) as ConversationBody & { error?: { code: string } },
  };
}

/** GET /api/conversations. */
export async function listConversations(jar: CookieJar) {
  const response = await callRoute(jar, listRoute, new Request(`${BASE}/conversations`), undefined);
  return (await response.json()) as { conversations: { id: string }[] };
}

export type StreamChunk = { type: string; [key: string]: unknown };

/** Reads a UI message stream to its end: its chunks, in order. */
export async function readChunks(response: Response): Promise<StreamChunk[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((event) => event.startsWith("data: {"))
    .map((event) => JSON.parse(event.slice("data: ".length)) as StreamChunk);
}
