// Path parameters of /api/conversations/{id} and the routes under it, the query of its GET and
// the body of its PATCH.

import { z } from "zod";
import { uuidSchema } from "@/lib/http/params";

export const conversationParams = z.object({ id: uuidSchema });

/** GET query: `before`, a message id (the `nextBefore` of the page before). */
export const conversationQuery = z.object({ before: uuidSchema.optional() });

/** The longest title, in characters (code points, as rename_conversation counts them). */
export const TITLE_MAX_LENGTH = 100;

const TITLE_MESSAGE = `A title must be 1 to ${TITLE_MAX_LENGTH} characters long.`;

/**
 * PATCH body: the new title, 1 to 100 characters after trimming (rename_conversation checks the
 * same, and also folds runs of whitespace into one space). Unknown keys are ignored.
 */
export const renameConversationBody = z.object({
  title: z
    .string(TITLE_MESSAGE)
    .trim()
    .refine((title) => {
      const length = [...title].length;
      return length >= 1 && length <= TITLE_MAX_LENGTH;
    }, TITLE_MESSAGE),
});

/** What Next.js hands the handlers of /api/conversations/[id]/**. */
export type ConversationRouteContext = { params: Promise<{ id: string }> };
