// Reads the recording of POST /api/conversations/{id}/voice: multipart/form-data with one file in
// the field `audio`, at most 10 MB and 60 seconds of webm, ogg, wav or mp3 audio, recognised by
// its bytes. Refused before anything is saved or counted: 415 not multipart, 413 too large, 400
// invalid_audio not audio, empty or too long.

import { AppError } from "@/lib/errors";
import { readCappedBody } from "@/lib/http/body";
import { probeAudio } from "./audio-format";
import type { VoiceRecording } from "./message-audio";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MS } from "./settings";

/** Room for the multipart boundaries and part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** A recorder stopped at 60 s may measure a frame or two longer. */
const DURATION_GRACE_MS = 500;

const tooLarge = () =>
  new AppError(
    "payload_too_large",
    `A recording may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
  );

/** Ten megabytes over a slow phone connection still arrive well within this. */
const UPLOAD_TIMEOUT_MS = 120_000;

/** The checked recording; throws the API's error for anything else. */
export async function readVoiceUpload(request: Request): Promise<VoiceRecording> {
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.split(";")[0]?.trim().toLowerCase() !== "multipart/form-data") {
    throw new AppError(
      "unsupported_media_type",
      "Send the recording as multipart/form-data with the file in a field named audio.",
    );
  }
  const body = await readCappedBody(request, {
    maxBytes: MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD,
    timeoutMs: UPLOAD_TIMEOUT_MS,
    tooLarge,
  });

  let form: FormData;
  try {
    form = await new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": contentType },
    }).formData();
  } catch {
    throw new AppError("invalid_input", "The request body is not valid multipart/form-data.");
  }
  const file = form.get("audio");
  if (!(file instanceof Blob)) {
    throw new AppError("invalid_audio", "Send the recording as a file in a field named audio.");
  }
  if (file.size > MAX_UPLOAD_BYTES) throw tooLarge();
  if (file.size === 0) throw new AppError("invalid_audio", "The recording is empty.");

  const bytes = new Uint8Array(await file.arrayBuffer());
  const info = probeAudio(bytes);
  if (!info) {
    throw new AppError(
      "invalid_audio",
      "The file is not webm, ogg, wav or mp3 audio with sound in it.",
    );
  }
  if (info.durationMs > MAX_UPLOAD_MS + DURATION_GRACE_MS) {
    throw new AppError(
      "invalid_audio",
      `A recording may be at most ${MAX_UPLOAD_MS / 1000} seconds long.`,
    );
  }
  return { bytes, contentType: info.contentType, durationMs: info.durationMs };
}
