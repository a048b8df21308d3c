// Turns what the chat transport throws into the server's own code and sentence: an HTTP error's
// JSON body `{"error": {"code", "message"}}`, or a stream `error` chunk's errorText
// `{"code", "message"}`. The sentences live on the server (lib/errors.ts); the client words only
// what the server cannot say: the network failed, or something in between answered without JSON.

import { type ErrorCode, isErrorCode } from "@/lib/errors";

/** The server's codes, and two of the client's own for failures that never reached it. */
export type ChatErrorCode = ErrorCode | "network" | "unknown";

export type ChatError = { code: ChatErrorCode; message: string };

export const CLIENT_ERROR_MESSAGES = {
  network: "Could not reach the server. Check your connection and try again.",
  unknown: "Something went wrong. Please try again.",
  resyncFailed: "Reload the page to see the latest messages.",
} as const;

type ServerError = { code: string; message: string | undefined };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The first field issue's sentence of a 400 invalid_input: more useful than the generic one. */
function firstIssue(details: unknown): string | undefined {
  if (!isRecord(details) || !Array.isArray(details.issues)) return undefined;
  const issue: unknown = details.issues[0];
  return isRecord(issue) && typeof issue.message === "string" ? issue.message : undefined;
}

/** The code and sentence in an HTTP error body or a stream errorText, if it is our JSON. */
function serverErrorOf(text: string): ServerError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const error = isRecord(value.error) ? value.error : value;
  if (typeof error.code !== "string") return undefined;
  const message =
    firstIssue(error.details) ?? (typeof error.message === "string" ? error.message : undefined);
  return { code: error.code, message: message?.trim() || undefined };
}

function statusOf(error: unknown): number | undefined {
  const status = isRecord(error) ? error.statusCode : undefined;
  return typeof status === "number" ? status : undefined;
}

/**
 * An answer without our JSON (a proxy's error page): its status still tells which state the
 * conversation is in, so the chat can react as it would to the server's own code.
 */
const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "invalid_content",
  404: "not_found",
  409: "conversation_ended",
  429: "guest_limit_reached",
  503: "service_unavailable",
};

/** Classifies an error from useChat: HTTP errors carry the JSON body, stream errors the errorText. */
export function parseChatError(error: unknown): ChatError {
  const text = error instanceof Error ? error.message : String(error ?? "");
  const server = serverErrorOf(text);
  if (server) {
    return {
      code: isErrorCode(server.code) ? server.code : "unknown",
      message: server.message ?? CLIENT_ERROR_MESSAGES.unknown,
    };
  }
  // fetch() rejects with a TypeError when the request never got an answer.
  if (error instanceof TypeError)
    return { code: "network", message: CLIENT_ERROR_MESSAGES.network };
  const status = statusOf(error);
  const code = status === undefined ? undefined : CODE_BY_STATUS[status];
  return { code: code ?? "unknown", message: CLIENT_ERROR_MESSAGES.unknown };
}
