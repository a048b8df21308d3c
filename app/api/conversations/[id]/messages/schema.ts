// Input of POST /api/conversations/{id}/messages. The SQL function checks the same bounds.

import { z } from "zod";

export const MAX_MESSAGE_CHARS = 4000;

/**
 * The message, trimmed, 1 to 4000 characters. Counted in code points like Postgres'
 * char_length, so an emoji counts once, as it does in the database's check.
 */
export const postMessageBody = z.object({
  content: z
    .string({ error: "A message must be text." })
    .trim()
    .min(1, { error: "A message may not be empty." })
    .refine((text) => [...text].length <= MAX_MESSAGE_CHARS, {
      error: `A message may be at most ${MAX_MESSAGE_CHARS} characters long.`,
    })
    // Postgres text cannot hold NUL; refuse it here rather than as a database error.
    .refine((text) => !text.includes("\u0000"), { error: "A message may not contain NUL." }),
});
