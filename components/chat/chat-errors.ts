// Turns what the chat transport throws (an HTTP error body, or a stream `error` chunk) into a
// stable code and a sentence a visitor can act on.

export type ChatErrorCode =
  | "reply_failed"
  | "guest_limit_reached"
  | "conversation_ended"
  | "invalid_content"
  | "invalid_input"
  | "not_found"
  | "nothing_to_retry"
  | "service_unavailable"
  | "network"
  | "unknown";

export type ChatError = { code: ChatErrorCode; message: string };

const KNOWN = new Set<string>([
  "reply_failed",
  "guest_limit_reached",
  "conversation_ended",
  "invalid_content",
  "invalid_input",
  "not_found",
  "nothing_to_retry",
  "service_unavailable",
]);

/** The sentence shown for each code; `name` is the persona's name. */
export function chatErrorMessage(code: ChatErrorCode, name: string): string {
  switch (code) {
    case "reply_failed":
      return `${name} could not finish that reply. Your message is saved; retrying does not use another free message.`;
    case "guest_limit_reached":
      return "You have used all your free guest messages. Sign up to keep chatting.";
    case "conversation_ended":
      return "This conversation has ended, so it cannot take new messages.";
    case "invalid_content":
    case "invalid_input":
      return "A message must be 1 to 4,000 characters long.";
    case "not_found":
      return "This conversation could not be found. It may belong to another session.";
    case "nothing_to_retry":
      return "That message already has a reply.";
    case "service_unavailable":
      return "The service is busy right now. Please try again in a moment.";
    case "network":
      return "Could not reach the server. Check your connection and try again.";
    default:
      return "Something went wrong. Please try again.";
  }
}

function codeFromJson(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { code?: unknown; error?: { code?: unknown } };
    const code = value?.error?.code ?? value?.code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Classifies an error from useChat: HTTP errors carry the JSON body, stream errors the errorText. */
export function parseChatError(error: unknown, name: string): ChatError {
  const text = error instanceof Error ? error.message : String(error ?? "");
  const raw = codeFromJson(text);
  let code: ChatErrorCode;
  if (raw && KNOWN.has(raw)) code = raw as ChatErrorCode;
  else if (raw === "internal") code = "unknown";
  else if (error instanceof TypeError) code = "network";
  else {
    const status = statusOf(error);
    code =
      status === 429
        ? "guest_limit_reached"
        : status === 409
          ? "conversation_ended"
          : status === 404
            ? "not_found"
            : status === 400
              ? "invalid_content"
              : status === 503
                ? "service_unavailable"
                : "unknown";
  }
  return { code, message: chatErrorMessage(code, name) };
}
