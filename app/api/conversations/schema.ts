// Input of /api/conversations.

import { z } from "zod";
import { uuidSchema } from "@/lib/http/params";

/** POST body: which persona to talk to. Unknown keys are ignored. */
export const createConversationBody = z.object({ personaId: uuidSchema });

/**
 * GET query: `before`, the opaque cursor a previous page answered as `nextBefore`. Its shape is
 * checked here; whether it is one is list_conversations' to say (400 invalid_input either way).
 */
export const listConversationsQuery = z.object({
  before: z
    .string()
    .regex(/^[0-9a-f_-]{1,100}$/, "That is not a page cursor.")
    .optional(),
});
