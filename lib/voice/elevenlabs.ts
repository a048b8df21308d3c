// ElevenLabs over its documented HTTP API, with the server's key in `xi-api-key` (it never reaches
// the browser): text-to-speech, speech-to-text, the Agents signed URL and a conversation's
// transcript. Every failure is an AppError speech_failed whose sentence says what went wrong
// (the key refused, rate limited, ElevenLabs failing, too slow, an answer we cannot read).

import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { mp3DurationMs } from "./audio-format";
import type { AudioContentType, ElevenLabsSettings, SynthesizedAudio } from "./types";

/** Far above a spoken reply of maxSpeechChars (about 8 KB per second at 64 kbit/s). */
const MAX_TTS_BYTES = 10 * 1024 * 1024;
/** MP3 at 44.1 kHz, 64 kbit/s: small, and plays everywhere. */
export const TTS_OUTPUT_FORMAT = "mp3_44100_64";

export type ElevenLabsFailure =
  | "unauthorized"
  | "rate_limited"
  | "upstream"
  | "timeout"
  | "bad_response";

const SENTENCES: Record<ElevenLabsFailure, string> = {
  unauthorized: "The voice service refused the server's API key.",
  rate_limited: "The voice service is busy. Try again in a moment.",
  upstream: "The voice service failed. Try again.",
  timeout: "The voice service took too long to answer. Try again.",
  bad_response: "The voice service sent an answer that could not be read.",
};

function failure(reason: ElevenLabsFailure, what: string, cause?: unknown): AppError {
  console.warn(`[voice] ElevenLabs ${what}: ${reason}`);
  return new AppError("speech_failed", SENTENCES[reason], { cause, details: { reason } });
}

function reasonForStatus(status: number): ElevenLabsFailure {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "upstream" : "bad_response";
}

// A transcript turn as GET /v1/convai/conversations/{id} returns it (snake_case on the wire).
const transcriptTurn = z.object({
  role: z.enum(["user", "agent"]),
  message: z.string().nullish(),
  time_in_call_secs: z.number().optional(),
});

const conversationDetails = z.object({
  conversation_id: z.string(),
  agent_id: z.string(),
  status: z.enum(["initiated", "in-progress", "processing", "done", "failed"]),
  transcript: z.array(transcriptTurn),
  conversation_initiation_client_data: z
    .object({ dynamic_variables: z.record(z.string(), z.unknown()).nullish() })
    .nullish(),
});

export type ElevenLabsConversation = {
  conversationId: string;
  agentId: string;
  status: z.infer<typeof conversationDetails>["status"];
  /** The turns in the order they were spoken; turns without text are left out. */
  turns: { role: "user" | "assistant"; content: string }[];
  dynamicVariables: Record<string, unknown>;
};

export type ElevenLabsClient = ReturnType<typeof createElevenLabsClient>;

export function createElevenLabsClient(
  settings: ElevenLabsSettings,
  fetchImpl: typeof fetch = fetch,
) {
  const base = settings.baseUrl.replace(/\/+$/, "");

  /** One request with the key and the timeout; a non-2xx answer or a network error throws. */
  async function send(what: string, path: string, init: RequestInit & { signal?: AbortSignal }) {
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const headers = new Headers(init.headers);
    headers.set("xi-api-key", settings.apiKey);
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, { ...init, headers, signal });
    } catch (error) {
      if (timeout.aborted) throw failure("timeout", what, error);
      if (init.signal?.aborted)
        throw new AppError("speech_failed", "The request was cancelled.", { cause: error });
      throw failure("upstream", what, error);
    }
    if (!response.ok) {
      // The body names the problem for the operator's log; it is not shown to the visitor.
      const body = await response.text().catch(() => "");
      console.warn(`[voice] ElevenLabs ${what} answered ${response.status}: ${body.slice(0, 300)}`);
      throw failure(reasonForStatus(response.status), what);
    }
    return { response, timeout };
  }

  async function readJson<T>(
    what: string,
    response: Response,
    timeout: AbortSignal,
    schema: z.ZodType<T>,
  ) {
    let value: unknown;
    try {
      value = await response.json();
    } catch (error) {
      throw failure(timeout.aborted ? "timeout" : "bad_response", what, error);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw failure("bad_response", what, parsed.error);
    return parsed.data;
  }

  return {
    /** POST /v1/text-to-speech/{voice_id}: the text spoken as MP3. */
    async textToSpeech(
      text: string,
      voiceId: string,
      signal?: AbortSignal,
    ): Promise<SynthesizedAudio> {
      const what = "text-to-speech";
      const { response, timeout } = await send(
        what,
        `/v1/text-to-speech/${encodeURIComponent(voiceId)}?output_format=${TTS_OUTPUT_FORMAT}`,
        {
          method: "POST",
          headers: { "content-type": "application/json", accept: "audio/mpeg" },
          body: JSON.stringify({ text, model_id: settings.ttsModel }),
          signal,
        },
      );
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw failure(timeout.aborted ? "timeout" : "upstream", what, error);
      }
      if (bytes.byteLength === 0 || bytes.byteLength > MAX_TTS_BYTES)
        throw failure("bad_response", what);
      const durationMs = mp3DurationMs(bytes);
      if (durationMs === null || durationMs <= 0) throw failure("bad_response", what);
      return { bytes, contentType: "audio/mpeg", durationMs: Math.round(durationMs) };
    },

    /** POST /v1/speech-to-text (multipart: model_id, file): what the recording says. */
    async speechToText(
      bytes: Uint8Array,
      contentType: AudioContentType,
      signal?: AbortSignal,
    ): Promise<string> {
      const what = "speech-to-text";
      const form = new FormData();
      form.set("model_id", settings.sttModel);
      const extension = contentType.slice("audio/".length).replace("mpeg", "mp3");
      form.set(
        "file",
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }),
        `voice.${extension}`,
      );
      const { response, timeout } = await send(what, "/v1/speech-to-text", {
        method: "POST",
        body: form,
        signal,
      });
      const result = await readJson(what, response, timeout, z.object({ text: z.string() }));
      return result.text;
    },

    /** GET /v1/convai/conversation/get-signed-url: a URL the browser connects to the agent with. */
    async signedUrl(agentId: string, signal?: AbortSignal): Promise<string> {
      const what = "signed URL";
      const { response, timeout } = await send(
        what,
        `/v1/convai/conversation/get-signed-url?agent_id=${encodeURIComponent(agentId)}`,
        { method: "GET", signal },
      );
      const result = await readJson(what, response, timeout, z.object({ signed_url: z.url() }));
      return result.signed_url;
    },

    /** GET /v1/convai/conversations/{conversation_id}: its status and transcript. */
    async conversation(
      conversationId: string,
      signal?: AbortSignal,
    ): Promise<ElevenLabsConversation> {
      const what = "conversation";
      const { response, timeout } = await send(
        what,
        `/v1/convai/conversations/${encodeURIComponent(conversationId)}`,
        { method: "GET", signal },
      );
      const result = await readJson(what, response, timeout, conversationDetails);
      return {
        conversationId: result.conversation_id,
        agentId: result.agent_id,
        status: result.status,
        turns: result.transcript.flatMap((turn) => {
          const content = turn.message?.trim() ?? "";
          if (!content) return [];
          return [
            { role: turn.role === "agent" ? ("assistant" as const) : ("user" as const), content },
          ];
        }),
        dynamicVariables: result.conversation_initiation_client_data?.dynamic_variables ?? {},
      };
    },
  };
}
