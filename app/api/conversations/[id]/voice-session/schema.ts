// Input of POST /api/conversations/{id}/voice-session: start a live session, or end one (its
// ElevenLabs conversation id, which the browser learns when it connects) to save its transcript.

import { z } from "zod";

export const voiceSessionBody = z.discriminatedUnion("action", [
  z.object({ action: z.literal("start") }),
  z.object({
    action: z.literal("end"),
    sessionId: z
      .string({ error: "The session id must be text." })
      .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: "The session id is not valid." }),
  }),
]);

export type VoiceSessionBody = z.infer<typeof voiceSessionBody>;
