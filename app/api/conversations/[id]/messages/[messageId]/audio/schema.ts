// Path parameters of GET /api/conversations/{id}/messages/{messageId}/audio.

import { z } from "zod";
import { uuidSchema } from "@/lib/http/params";

export const messageAudioParams = z.object({ id: uuidSchema, messageId: uuidSchema });

export type MessageAudioRouteContext = { params: Promise<{ id: string; messageId: string }> };
