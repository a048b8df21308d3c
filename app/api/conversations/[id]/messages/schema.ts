// Input of POST /api/conversations/{id}/messages. The SQL function checks the same bounds.

import { z } from "zod";
import { MAX_MESSAGE_CHARS, messageLength } from "@/lib/chat/limits";

/**
 * The message, trimmed, 1 to MAX_MESSAGE_CHARS characters, counted as the composer and Postgres'
 * char_length count them (code points), so an emoji counts once everywhere. zod's .max would
 * count UTF-16 units.
 */
export const postMessageBody = z.object({
  content: z
    .string({ error: "A message must be text." })
    .trim()
    .min(1, { error: "A message may not be empty." })
    .refine((text) => messageLength(text) <= MAX_MESSAGE_CHARS, {
      error: `A message may be at most ${MAX_MESSAGE_CHARS} characters long.`,
    })
    // Postgres text cannot hold NUL; refuse it here rather than as a database error.
    .refine((text) => !text.includes("\u0000"), { error: "A message may not contain NUL." }),
});
