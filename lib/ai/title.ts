// A short title for a conversation, asked of the reply model once its first reply is saved (with
// an OpenAI-compatible model; the built-in engine keeps the first words of the first message,
// set in SQL). One generateText call with its own timeout; what comes back is cleaned to a title
// of 1 to 100 characters on one line, or null.

import { generateText } from "ai";
import type { ReplyModel } from "./stream-reply";

export const TITLE_MAX_CHARS = 100;

const INSTRUCTIONS =
  "You name conversations. Answer with a title of at most six words for the conversation " +
  "below, in the language of the user's message. No quotation marks, no final punctuation, " +
  "nothing else.";

/** The model's answer as a title: its first line, without quotes, a "Title:" label or a final stop. */
export function cleanTitle(text: string): string | null {
  const line = text.trim().split(/\r?\n/)[0] ?? "";
  const title = line
    .replace(/^\s*title\s*:\s*/i, "")
    .replace(/^["'“”‘’«»*_#\s]+|["'“”‘’«»*_\s]+$/g, "")
    .replace(/[.!。]+$/u, "")
    .replace(/\s+/g, " ")
    .trim();
  if (title === "") return null;
  const points = [...title];
  return points.length <= TITLE_MAX_CHARS
    ? title
    : points.slice(0, TITLE_MAX_CHARS).join("").trim();
}

export async function makeTitle(
  model: ReplyModel,
  exchange: { message: string; reply: string },
  options: { timeoutMs: number },
): Promise<string | null> {
  const { text } = await generateText({
    model,
    system: INSTRUCTIONS,
    prompt: `User: ${exchange.message.slice(0, 1_000)}\n\nReply: ${exchange.reply.slice(0, 1_000)}`,
    maxOutputTokens: 32,
    maxRetries: 0,
    timeout: options.timeoutMs,
  });
  return cleanTitle(text);
}
