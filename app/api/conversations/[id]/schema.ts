// Path parameters of /api/conversations/{id} and the routes under it.

import { z } from "zod";
import { uuidSchema } from "@/lib/http/params";

export const conversationParams = z.object({ id: uuidSchema });

/** What Next.js hands the handlers of /api/conversations/[id]/**. */
export type ConversationRouteContext = { params: Promise<{ id: string }> };
