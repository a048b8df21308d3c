// The built-in personas as an AI SDK language model: no network and no configuration, a reply
// composed from the persona's phrasebook, streamed word by word like a real model.

import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { simulateReadableStream } from "ai";
import { composeBuiltinReply } from "./builtin-reply";
import { replyCallInfo, turnsOf } from "./reply-request";

/** Usage for text that no tokenizer counted. */
export const NO_USAGE: LanguageModelV4Usage = {
  inputTokens: {
    total: undefined,
    noCache: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
  },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};
const STOP = { unified: "stop", raw: undefined } as const;
const TEXT_ID = "reply";

function replyTo(options: LanguageModelV4CallOptions): string {
  return composeBuiltinReply(replyCallInfo(options), turnsOf(options.prompt));
}

/** Splits a reply into word-sized chunks that keep their whitespace, so they add up exactly. */
export function toWordChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

/** `delayMs`: the pause between streamed words (0 streams as fast as the reader reads). */
export function createBuiltinModel({ delayMs }: { delayMs: number }): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "builtin",
    modelId: "personas",
    supportedUrls: {},
    async doGenerate(options) {
      const text = replyTo(options);
      return {
        content: [{ type: "text", text }],
        finishReason: STOP,
        usage: NO_USAGE,
        warnings: [],
      };
    },
    async doStream(options) {
      const words = toWordChunks(replyTo(options));
      const chunks: LanguageModelV4StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: TEXT_ID },
        ...words.map(
          (delta): LanguageModelV4StreamPart => ({ type: "text-delta", id: TEXT_ID, delta }),
        ),
        { type: "text-end", id: TEXT_ID },
        { type: "finish", finishReason: STOP, usage: NO_USAGE },
      ];
      // streamText cancels this stream when the reply is aborted or times out.
      return {
        stream: simulateReadableStream({
          chunks,
          initialDelayInMs: null,
          chunkDelayInMs: delayMs || null,
        }),
      };
    },
  };
}
