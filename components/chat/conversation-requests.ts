// The browser's calls for managing a conversation (PATCH and DELETE /api/conversations/{id}),
// answering the server's own sentence on failure (lib/errors.ts), or the client's when the
// server could not be reached or answered without our JSON.

import type { Conversation } from "@/lib/chat/types";
import { CLIENT_ERROR_MESSAGES } from "./chat-errors";

export type RequestResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; message: string };

/** The longest title (code points), as the API and rename_conversation count it. */
export const TITLE_MAX_LENGTH = 100;

/** The title's length as the server counts it: an emoji is one character. */
export function titleLength(title: string): number {
  return [...title.trim()].length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The first field issue's sentence of a 400, else the error's own sentence, else a generic one. */
async function failure(
  response: Response,
): Promise<{ ok: false; status: number; message: string }> {
  let message: string = CLIENT_ERROR_MESSAGES.unknown;
  try {
    const body: unknown = await response.json();
    const error = isRecord(body) && isRecord(body.error) ? body.error : null;
    const issues = error && isRecord(error.details) ? error.details.issues : null;
    const issue: unknown = Array.isArray(issues) ? issues[0] : null;
    if (isRecord(issue) && typeof issue.message === "string") message = issue.message;
    else if (error && typeof error.message === "string" && error.message) message = error.message;
  } catch {
    // Not our JSON (a proxy's error page): the generic sentence.
  }
  return { ok: false, status: response.status, message };
}

async function send(url: string, init: RequestInit): Promise<Response | null> {
  try {
    return await fetch(url, { ...init, credentials: "same-origin", cache: "no-store" });
  } catch {
    return null;
  }
}

const unreachable = { ok: false, status: 0, message: CLIENT_ERROR_MESSAGES.network } as const;

export async function renameConversationRequest(
  conversationId: string,
  title: string,
): Promise<RequestResult<Conversation>> {
  const response = await send(`/api/conversations/${conversationId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ title }),
  });
  if (!response) return unreachable;
  if (!response.ok) return failure(response);
  const body = (await response.json()) as { conversation: Conversation };
  return { ok: true, value: body.conversation };
}

/** Deleted, or already gone (404: there is nothing left to delete either way). */
export async function deleteConversationRequest(
  conversationId: string,
): Promise<RequestResult<null>> {
  const response = await send(`/api/conversations/${conversationId}`, {
    method: "DELETE",
    headers: { accept: "application/json" },
  });
  if (!response) return unreachable;
  if (response.ok || response.status === 404) return { ok: true, value: null };
  return failure(response);
}

/** The export route: a plain link downloads it (Content-Disposition: attachment). */
export function exportHref(conversationId: string): string {
  return `/api/conversations/${conversationId}/export`;
}
