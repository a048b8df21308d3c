// Reply engine backed by any OpenAI-compatible chat-completions API (OpenAI, Groq, Ollama,
// vLLM, LM Studio, ...) through the AI SDK, with a prompt budget, a timeout and cancellation.

import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, type ModelMessage, streamText } from "ai";
import { estimateTokens, fitHistoryToBudget } from "./context-budget";
import {
  type ReplyEngine,
  ReplyEngineError,
  type ReplyEngineErrorReason,
  type ReplyRequest,
} from "./types";

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONTEXT_TOKENS = 4_000;

export type OpenAICompatibleEngineConfig = {
  /** Base URL of the API, e.g. "https://api.openai.com/v1" or "http://localhost:11434/v1". */
  baseURL: string;
  /** Sent as "Authorization: Bearer <apiKey>"; local servers often need none. */
  apiKey?: string;
  model: string;
  /** Upper bound for a whole reply, from request to last token; the request is aborted after it. */
  timeoutMs?: number;
  /** Estimated token budget for the prompt: system prompt plus as much recent history as fits. */
  contextTokens?: number;
  /** Retries of the initial request. Default 0: a failed reply is reported at once, and the user retries. */
  maxRetries?: number;
  /** Replaces the global fetch, e.g. to route through a proxy. */
  fetch?: typeof fetch;
};

type AbortCause = "timeout" | "aborted";

const MESSAGES: Record<ReplyEngineErrorReason, string> = {
  timeout: "The model did not finish its reply in time.",
  upstream: "The model API failed to answer.",
  malformed: "The model API sent a reply that could not be read.",
  aborted: "The reply was cancelled before it finished.",
  injected: "A reply failure was injected for testing.",
};

function isMalformed(error: unknown): boolean {
  // The SDK reports unparseable or schema-violating stream chunks with these error names.
  const name = error instanceof Error ? error.name : "";
  return (
    name === "AI_JSONParseError" ||
    name === "AI_TypeValidationError" ||
    name === "AI_InvalidResponseDataError" ||
    name === "AI_EmptyResponseBodyError"
  );
}

function upstreamMessage(error: unknown): string {
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    return `The model API answered HTTP ${error.statusCode}.`;
  }
  return MESSAGES.upstream;
}

/**
 * Maps anything that went wrong to a ReplyEngineError. Our own abort cause wins over whatever the
 * SDK or fetch reported, because an abort surfaces as many different error shapes.
 */
function toReplyEngineError(error: unknown, abortCause: AbortCause | undefined): ReplyEngineError {
  if (abortCause) return new ReplyEngineError(abortCause, MESSAGES[abortCause], { cause: error });
  if (error instanceof ReplyEngineError) return error;
  if (isMalformed(error) || isMalformed((error as { cause?: unknown } | null)?.cause)) {
    return new ReplyEngineError("malformed", MESSAGES.malformed, { cause: error });
  }
  return new ReplyEngineError("upstream", upstreamMessage(error), { cause: error });
}

export function createOpenAICompatibleEngine(config: OpenAICompatibleEngineConfig): ReplyEngine {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const contextTokens = config.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  const provider = createOpenAICompatible({
    name: "openai-compatible",
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    fetch: config.fetch,
  });
  const model = provider.chatModel(config.model);

  return {
    id: `openai-compatible:${config.model}`,
    async *streamReply(req: ReplyRequest): AsyncIterable<string> {
      const { persona, signal } = req;
      if (signal?.aborted)
        throw new ReplyEngineError("aborted", MESSAGES.aborted, { cause: signal.reason });

      const history = fitHistoryToBudget(req.history, contextTokens, {
        reservedTokens: estimateTokens(persona.systemPrompt),
      });
      const messages: ModelMessage[] = history.map((turn) => ({
        role: turn.role,
        content: turn.content,
      }));

      // One controller for the upstream request, aborted by whichever comes first: the client
      // leaving, the timeout, or the consumer stopping early. Recording why lets the error say so.
      const upstream = new AbortController();
      let abortCause: AbortCause | undefined;
      const abortFor = (cause: AbortCause, reason: unknown) => {
        abortCause ??= cause;
        upstream.abort(reason);
      };
      const onClientAbort = () => abortFor("aborted", signal?.reason);
      signal?.addEventListener("abort", onClientAbort, { once: true });
      const timer = setTimeout(
        () => abortFor("timeout", new ReplyEngineError("timeout", MESSAGES.timeout)),
        timeoutMs,
      );

      let finished = false;
      try {
        const result = streamText({
          model,
          instructions: persona.systemPrompt,
          messages,
          maxRetries: config.maxRetries ?? 0,
          abortSignal: upstream.signal,
          // Errors are rethrown below as ReplyEngineError; the SDK's default handler would only
          // log them a second time.
          onError: () => {},
        });
        // `stream` (not `textStream`) because error parts are silently dropped from textStream.
        for await (const part of result.stream) {
          if (part.type === "text-delta") {
            if (part.text) yield part.text;
          } else if (part.type === "error") {
            throw part.error;
          } else if (part.type === "abort") {
            throw new ReplyEngineError(abortCause ?? "aborted", MESSAGES[abortCause ?? "aborted"]);
          }
        }
        // An abort that lands between chunks can end the stream quietly; never pass that off as
        // a complete reply.
        if (abortCause) throw new ReplyEngineError(abortCause, MESSAGES[abortCause]);
        finished = true;
      } catch (error) {
        throw toReplyEngineError(error, abortCause);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onClientAbort);
        // The consumer may stop iterating early (break, or its own failure): close the upstream
        // request rather than let the model keep generating into the void.
        if (!finished && !upstream.signal.aborted)
          upstream.abort(new Error("Reply stream closed early."));
      }
    },
  };
}
