// The reply as an AI SDK UI message stream: what POST /api/conversations/{id}/messages (and
// /retry) answer with when the client does not ask for JSON. Clients: `import type` only.
//
// Chunks, in order (each one SSE `data:` line, then `data: [DONE]`):
//   start       messageMetadata: { userMessage, allowance, conversation }
//   text-start  id: "reply"                  (at the first piece of text)
//   text-delta  id: "reply", delta           (one per piece)
//   text-end    id: "reply"
//   finish      finishReason: "stop", messageMetadata: { assistantMessage, conversation }
// When the reply fails after `start`, the stream ends with (text-end if text began, then)
//   error       errorText: '{"code":"reply_failed","message":"..."}'
// and no finish: the user message stays saved and the conversation is `error` (retry it).

import "server-only";
import { createUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import { type ErrorCode, toAppError } from "@/lib/errors";
import { type RunReplyOptions, runReply } from "./reply";
import type { Allowance, Conversation, Message } from "./types";

export type ReplyStartMetadata = {
  /** The saved user message (for a retry: the one being answered again). */
  userMessage: Message;
  /** The guest allowance after this message; null for signed-in users. */
  allowance: Allowance;
  conversation: Conversation;
};

export type ReplyFinishMetadata = {
  /** The saved reply, with its database id. */
  assistantMessage: Message;
  /** The conversation after the reply (status back to `active` after a retry). */
  conversation: Conversation;
};

/** The assistant UIMessage's metadata on the client: start's fields, merged with finish's. */
export type ReplyMessageMetadata = Partial<ReplyStartMetadata & ReplyFinishMetadata>;

export type ReplyUIMessage = UIMessage<ReplyMessageMetadata>;

export type ReplyChunk = UIMessageChunk<ReplyMessageMetadata>;

/** What the `error` chunk's errorText holds, as JSON. */
export type ReplyStreamError = { code: ErrorCode; message: string };

export const REPLY_TEXT_ID = "reply";

export function encodeReplyError(error: unknown): string {
  const e = toAppError(error);
  const payload: ReplyStreamError = { code: e.code, message: e.message };
  return JSON.stringify(payload);
}

/**
 * The reply to an already saved message (see startReply), as a stream of UI message chunks.
 * Pass the request's signal as `abortSignal`: when the client goes away, it cancels the reply.
 */
export function createReplyStream(
  options: Omit<RunReplyOptions, "onDelta">,
): ReadableStream<ReplyChunk> {
  const { context } = options;
  return createUIMessageStream<ReplyUIMessage>({
    execute: async ({ writer }) => {
      writer.write({
        type: "start",
        messageMetadata: {
          userMessage: context.userMessage,
          allowance: context.allowance,
          conversation: context.conversation,
        },
      });
      let textStarted = false;
      try {
        const result = await runReply({
          ...options,
          onDelta: (delta) => {
            if (!textStarted) writer.write({ type: "text-start", id: REPLY_TEXT_ID });
            textStarted = true;
            writer.write({ type: "text-delta", id: REPLY_TEXT_ID, delta });
          },
        });
        writer.write({ type: "text-end", id: REPLY_TEXT_ID });
        writer.write({
          type: "finish",
          finishReason: "stop",
          messageMetadata: {
            assistantMessage: result.assistantMessage,
            conversation: result.conversation,
          },
        });
      } catch (error) {
        // runReply has already marked the conversation `error`; the client learns it here.
        if (textStarted) writer.write({ type: "text-end", id: REPLY_TEXT_ID });
        writer.write({ type: "error", errorText: encodeReplyError(error) });
      }
    },
    // Only reached if execute itself throws (it catches everything); same format regardless.
    onError: encodeReplyError,
  });
}
