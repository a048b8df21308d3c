// Input of POST /api/conversations/{id}/voice: multipart/form-data with the recording in the
// field `audio` (read and checked by lib/voice/upload.ts); its transcript is then held to exactly
// the rules of a typed message's content.

import type { z } from "zod";
import { postMessageBody } from "../messages/schema";

export { MAX_UPLOAD_BYTES, MAX_UPLOAD_MS } from "@/lib/voice/settings";

/** The form field that holds the recording. */
export const AUDIO_FIELD = "audio";

/** The transcript, as the content of POST .../messages. */
export const voiceTranscript: z.ZodType<{ content: string }> = postMessageBody;
