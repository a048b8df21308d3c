// The project's one error type: a stable code, a human sentence and the HTTP status it maps to.

export const ERROR_STATUS = {
  invalid_input: 400,
  invalid_json: 400,
  invalid_content: 400,
  invalid_session: 400,
  invalid_status: 400,
  invalid_user: 400,
  weak_password: 400,
  invalid_audio: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  sign_in_required: 403,
  cross_site: 403,
  not_found: 404,
  persona_not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conversation_ended: 409,
  nothing_to_retry: 409,
  reply_in_progress: 409,
  retry_limit_reached: 409,
  email_taken: 409,
  guest_limit_reached: 429,
  too_many_attempts: 429,
  rate_limited: 429,
  reply_failed: 503,
  service_unavailable: 503,
  speech_unavailable: 503,
  speech_failed: 503,
  voice_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_input: "The request is not valid.",
  invalid_json: "The request body must be a JSON object.",
  invalid_content: "A message must be 1 to 4000 characters long.",
  invalid_session: "A guest session is required.",
  invalid_status: "That status is not allowed.",
  invalid_user: "A user is required.",
  weak_password: "Choose a stronger password.",
  invalid_audio: "The recording must be webm, ogg, wav or mp3 audio of at most 60 seconds.",
  unsupported_media_type: "Send the request body as application/json.",
  payload_too_large: "The request body is too large.",
  unauthorized: "Sign in to continue.",
  invalid_credentials: "The email or password is not correct.",
  forbidden: "You are not allowed to do that.",
  sign_in_required: "Sign in to use this.",
  cross_site: "Requests from other sites are not accepted.",
  not_found: "Not found.",
  persona_not_found: "That persona does not exist or is not available.",
  method_not_allowed: "This endpoint does not answer that method.",
  request_timeout: "The request body took too long to arrive.",
  conversation_ended: "This conversation has ended.",
  nothing_to_retry: "The last message already has a reply.",
  reply_in_progress: "A reply is still being written. Wait for it to finish, then try again.",
  retry_limit_reached:
    "That message has been answered again as often as allowed. Send a new message instead.",
  email_taken: "An account with that email already exists.",
  guest_limit_reached: "You have used all your guest messages. Sign up to keep chatting.",
  too_many_attempts: "Too many attempts. Wait a moment and try again.",
  rate_limited: "Too many requests for now. Try again later, or sign up to keep chatting.",
  reply_failed: "The persona could not reply. Try again.",
  service_unavailable: "The service is unavailable. Try again shortly.",
  speech_unavailable: "Voice messages are not available here.",
  speech_failed: "The voice service failed. Try again.",
  voice_unavailable: "Live voice conversations are not available here.",
  internal: "Something went wrong on our side.",
};

// Next.js can bundle this module into more than one chunk, so a plain `instanceof` fails for an
// AppError made by another copy of the class; the brand makes `instanceof` work across copies.
const APP_ERROR_BRAND = Symbol.for("persona-chat.AppError");

export class AppError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && APP_ERROR_BRAND in value;
  }

  readonly [APP_ERROR_BRAND] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message ?? DEFAULT_MESSAGES[code], { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options?.details;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** Any thrown value as an AppError; unknown failures become `internal` and are logged once. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  console.error("[internal]", error);
  return new AppError("internal", undefined, { cause: error });
}

/**
 * True for an AppError made by any copy of this module. Next bundles server code once per layer
 * (route handlers, server components and actions), and the one database port kept on globalThis
 * throws the AppError of whichever layer opened it, which `instanceof` elsewhere does not know.
 */
export function isAppError(value: unknown): value is AppError {
  if (value instanceof AppError) return true;
  if (!(value instanceof Error) || value.name !== "AppError") return false;
  const e = value as Partial<AppError>;
  return isErrorCode(e.code) && typeof e.status === "number";
}
