// Helpers for the HTTP API specs: a guest's calls, fresh sessions, and reading the reply stream.

import { type APIRequestContext, type APIResponse, expect } from "@playwright/test";
// The domain's own types (type-only imports: nothing of the app runs in the test process).
import type { ReplyChunk, ReplyStreamError } from "../../lib/chat/reply-stream";
import type {
  Allowance,
  Conversation,
  ConversationDetail,
  Message,
  Persona,
} from "../../lib/chat/types";

export type { Allowance, Conversation, ConversationDetail, Message, Persona, ReplyChunk };

/** What a JSON-mode post (or retry) answers. */
export type ReplyJson = {
  userMessage: Message;
  assistantMessage: Message;
  allowance: Allowance;
  conversation: Conversation;
};

/** A well-formed UUID that no row has. */
export const UNKNOWN_ID = "6a1f0c3e-8b2d-4c5e-9f70-112233445566";
export const JSON_ACCEPT = { accept: "application/json" };

export async function listPersonas(request: APIRequestContext): Promise<Persona[]> {
  const response = await request.get("/api/personas");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { personas: Persona[] }).personas;
}

/** Starts a conversation with the first persona; the context keeps the guest cookie it gets. */
export async function startConversation(
  request: APIRequestContext,
  personaId?: string,
): Promise<Conversation> {
  const id = personaId ?? (await listPersonas(request))[0]?.id;
  const response = await request.post("/api/conversations", { data: { personaId: id } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { conversation: Conversation }).conversation;
}

export function postMessage(
  request: APIRequestContext,
  conversationId: string,
  content: string,
  mode: "json" | "stream" = "json",
): Promise<APIResponse> {
  return request.post(`/api/conversations/${conversationId}/messages`, {
    data: { content },
    headers: mode === "json" ? JSON_ACCEPT : {},
  });
}

export function retry(
  request: APIRequestContext,
  conversationId: string,
  mode: "json" | "stream" = "json",
): Promise<APIResponse> {
  return request.post(`/api/conversations/${conversationId}/retry`, {
    headers: mode === "json" ? JSON_ACCEPT : {},
  });
}

export async function getConversation(
  request: APIRequestContext,
  conversationId: string,
): Promise<ConversationDetail & { persona: Persona }> {
  const response = await request.get(`/api/conversations/${conversationId}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ConversationDetail & { persona: Persona };
}

/** Asserts the API's JSON error: the status, the code, a sentence, and never a 500. */
export async function expectError(response: APIResponse, status: number, code: string) {
  const text = await response.text();
  expect(response.status(), `${response.url()} answered ${response.status()}: ${text}`).toBe(
    status,
  );
  expect(response.headers()["content-type"]).toContain("application/json");
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** The chunks of a UI message stream body (SSE `data:` lines), and whether it ended with [DONE]. */
export function parseUiStream(body: string): { chunks: ReplyChunk[]; done: boolean } {
  const events = body
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length));
  return {
    chunks: events
      .filter((data) => data !== "[DONE]")
      .map((data) => JSON.parse(data) as ReplyChunk),
    done: events.at(-1) === "[DONE]",
  };
}

/** The reply's text: its text-delta chunks, joined. */
export function replyText(chunks: ReplyChunk[]): string {
  return chunks.map((chunk) => (chunk.type === "text-delta" ? chunk.delta : "")).join("");
}

/** The error chunk's errorText, parsed, or undefined when the stream has none. */
export function replyError(chunks: ReplyChunk[]): ReplyStreamError | undefined {
  const error = chunks.find((chunk) => chunk.type === "error");
  return error?.type === "error" ? (JSON.parse(error.errorText) as ReplyStreamError) : undefined;
}

/** The guest cookie's value from a response's Set-Cookie headers, with its attributes. */
export function guestCookie(response: APIResponse): { value: string; attributes: string } | null {
  const header = response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => h.value)
    .find((value) => value.startsWith("pc_guest="));
  if (!header) return null;
  const [pair = "", ...rest] = header.split(";");
  return { value: pair.slice("pc_guest=".length), attributes: rest.join(";").trim() };
}
