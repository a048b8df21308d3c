// Input of /api/conversations.

import { z } from "zod";
import { uuidSchema } from "@/lib/http/params";

/** POST body: which persona to talk to. Unknown keys are ignored. */
export const createConversationBody = z.object({ personaId: uuidSchema });
