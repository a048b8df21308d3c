// Caps a reply's length at the model: the text stops at `maxChars` and the model's stream is
// cancelled, so a model that runs on neither fills the database nor keeps generating.

import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import type { LanguageModelMiddleware } from "ai";
import { NO_USAGE } from "./builtin-model";

/** The longest prefix of `text` of at most `room` UTF-16 units that does not split a surrogate pair. */
function fitInto(text: string, room: number): string {
  if (text.length <= room) return text;
  const cut = Math.max(room, 0);
  const last = text.charCodeAt(cut - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? cut - 1 : cut);
}

export function limitReplyLength(maxChars: number): LanguageModelMiddleware {
  return {
    specificationVersion: "v4",
    async wrapStream({ doStream }) {
      const result = await doStream();
      let used = 0;
      const cut = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
        transform(part, controller) {
          if (part.type !== "text-delta") return controller.enqueue(part);
          const delta = fitInto(part.delta, maxChars - used);
          used += delta.length;
          if (delta) controller.enqueue({ ...part, delta });
          if (delta.length === part.delta.length) return;
          controller.enqueue({ type: "text-end", id: part.id });
          controller.enqueue({
            type: "finish",
            finishReason: { unified: "length", raw: undefined },
            usage: NO_USAGE,
          });
          // Ends this stream and cancels the model's (closing its HTTP request).
          controller.terminate();
        },
      });
      return { ...result, stream: result.stream.pipeThrough(cut) };
    },
  };
}
