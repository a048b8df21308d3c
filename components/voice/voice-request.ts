// Voice messages through the chat's own transport: the AI SDK sends JSON bodies only, so a voice
// message goes out as `{voiceRecording: key}` to POST .../voice, and this fetch swaps that body
// for the multipart form the API takes (the recording in the field `audio`). The answer is the
// same UI message stream as a typed message's, read by the same useChat machinery.

/** The JSON body the transport sends for a voice message. */
export type VoiceRequestBody = { voiceRecording: string };

/** Shown in the visitor's bubble until the server's transcript arrives (its `start` chunk). */
export const VOICE_PLACEHOLDER = "Voice message…";

/** The multipart field POST .../voice reads (app/api/conversations/[id]/voice/schema.ts). */
const AUDIO_FIELD = "audio";

const EXTENSIONS: Record<string, string> = {
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/wav": "wav",
  "audio/mpeg": "mp3",
};

export function voiceMessagePath(conversationId: string): string {
  return `/api/conversations/${conversationId}/voice`;
}

function isVoiceRequestBody(value: unknown): value is VoiceRequestBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { voiceRecording?: unknown }).voiceRecording === "string"
  );
}

/**
 * A fetch for the chat transport: requests to a voice path carrying `{voiceRecording}` are sent as
 * multipart with that recording; everything else goes through unchanged.
 */
export function voiceAwareFetch(recordings: ReadonlyMap<string, Blob | null>): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!/\/voice$/.test(new URL(url, "http://local").pathname) || typeof init?.body !== "string") {
      return fetch(input, init);
    }
    let body: unknown;
    try {
      body = JSON.parse(init.body);
    } catch {
      return fetch(input, init);
    }
    const recording = isVoiceRequestBody(body) ? recordings.get(body.voiceRecording) : undefined;
    if (!recording) return fetch(input, init);

    const form = new FormData();
    const type = recording.type.split(";")[0]?.trim() ?? "";
    form.set(AUDIO_FIELD, recording, `voice-message.${EXTENSIONS[type] ?? "webm"}`);
    const headers = new Headers(init.headers);
    // The browser writes the multipart content type, with its boundary.
    headers.delete("content-type");
    return fetch(input, { ...init, headers, body: form });
  };
}
