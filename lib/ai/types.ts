// Contract of the reply engine: what the chat domain hands in and what it gets back.

export type ChatTurn = { role: "user" | "assistant"; content: string };

export type PersonaForReply = {
  slug: string;
  name: string;
  systemPrompt: string;
  greeting: string;
};

export type ReplyRequest = {
  persona: PersonaForReply;
  /** Oldest first; the last item is the user's new message. */
  history: ChatTurn[];
  /** Id of the user message being answered; retries of the same message reuse it. */
  messageId?: string;
  /** Aborts when the client goes away; engines stop promptly and throw "aborted". */
  signal?: AbortSignal;
};

export interface ReplyEngine {
  readonly id: string;
  /** Yields text deltas; throws ReplyEngineError on failure. */
  streamReply(req: ReplyRequest): AsyncIterable<string>;
}

export type ReplyEngineErrorReason = "timeout" | "upstream" | "malformed" | "aborted" | "injected";

export class ReplyEngineError extends Error {
  // Declared as a field rather than a constructor parameter property so the file also runs
  // under type-stripping tools (node --experimental-strip-types, erasableSyntaxOnly).
  readonly reason: ReplyEngineErrorReason;

  constructor(reason: ReplyEngineErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReplyEngineError";
    this.reason = reason;
  }
}
