// Path parameters of /api/conversations/{id} and the routes under it, and the query of its GET.

import { z } from "zod";
import { uuidSchema } from "@/lib/http/params";

export const conversationParams = z.object({ id: uuidSchema });

/** GET query: `before`, a message id (the `nextBefore` of the page before). */
export const conversationQuery = z.object({ before: uuidSchema.optional() });

/** What Next.js hands the handlers of /api/conversations/[id]/**. */
export type ConversationRouteContext = { params: Promise<{ id: string }> };
