// A STAND-IN for the ElevenLabs API (the real one is remote and paid, so tests cannot reach it).
// It follows ElevenLabs' documented HTTP API for what this app calls, and nothing more:
//   POST /v1/text-to-speech/{voice_id}?output_format=...   JSON {text, model_id} → audio/mpeg
//   POST /v1/speech-to-text                                multipart model_id, file → {text, ...}
//   GET  /v1/convai/conversation/get-signed-url?agent_id=  → {signed_url}
//   GET  /v1/convai/conversations/{conversation_id}        → {agent_id, conversation_id, status,
//                                                              transcript: [{role, message, time_in_call_secs}], ...}
// Every request must carry `xi-api-key`; a wrong key answers 401 as ElevenLabs does
// ({"detail": {"status": "invalid_api_key", ...}}). Tests can make the next request fail with a
// status (401, 429, 500) or hang (a timeout), and read every request it received.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMp3Encoder } from "wasm-media-encoders";

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
};

export type StandInConversation = {
  agent_id: string;
  conversation_id: string;
  status: "initiated" | "in-progress" | "processing" | "done" | "failed";
  transcript: { role: "user" | "agent"; message: string | null; time_in_call_secs: number }[];
  conversation_initiation_client_data?: { dynamic_variables?: Record<string, unknown> };
};

export type ElevenLabsStandIn = {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** What speech-to-text answers. */
  transcript: string;
  conversations: Map<string, StandInConversation>;
  /** The next request fails this way (then the stand-in behaves again). */
  failNext(how: 401 | 429 | 500 | "hang"): void;
  close(): Promise<void>;
};

/** A second of a tone as MP3 (44.1 kHz, 64 kbit/s, as output_format mp3_44100_64), pitched by voice. */
async function toneMp3(seed: string): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ channels: 1, sampleRate: 44_100, bitrate: 64 });
  const hz = 200 + ([...seed].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 400);
  const pcm = new Float32Array(44_100);
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / 44_100);
  const head = encoder.encode([pcm]).slice();
  const tail = encoder.finalize().slice();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startElevenLabsStandIn(
  apiKey = "sk_test_stand_in",
): Promise<ElevenLabsStandIn> {
  const requests: RecordedRequest[] = [];
  const conversations = new Map<string, StandInConversation>();
  const hanging = new Set<ServerResponse>();
  let failure: 401 | 429 | 500 | "hang" | null = null;

  const state = { transcript: "Hello there, how are you today?" };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(recorded);

    const fail = failure;
    failure = null;
    if (fail === "hang") {
      hanging.add(res);
      return;
    }
    if (fail === 401 || req.headers["xi-api-key"] !== apiKey) {
      return json(res, 401, {
        detail: { status: "invalid_api_key", message: "Invalid API key" },
      });
    }
    if (fail === 429) {
      return json(res, 429, {
        detail: { status: "too_many_concurrent_requests", message: "Too many concurrent requests" },
      });
    }
    if (fail === 500)
      return json(res, 500, { detail: { status: "internal_error", message: "Oops" } });

    const tts = /^\/v1\/text-to-speech\/([^/]+)$/.exec(url.pathname);
    if (tts && req.method === "POST") {
      let body: { text?: unknown; model_id?: unknown };
      try {
        body = JSON.parse(recorded.body.toString("utf8"));
      } catch {
        return json(res, 422, { detail: [{ msg: "Invalid JSON" }] });
      }
      if (typeof body.text !== "string" || body.text === "") {
        return json(res, 422, { detail: [{ loc: ["body", "text"], msg: "Field required" }] });
      }
      const audio = await toneMp3(decodeURIComponent(tts[1] ?? ""));
      res.writeHead(200, { "content-type": "audio/mpeg" });
      return res.end(audio);
    }

    if (url.pathname === "/v1/speech-to-text" && req.method === "POST") {
      const form = await new Request("http://stand-in/", {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "" },
        body: new Uint8Array(recorded.body),
      })
        .formData()
        .catch(() => null);
      const file = form?.get("file");
      if (form?.get("model_id") !== "scribe_v1" || !(file instanceof Blob) || file.size === 0) {
        return json(res, 422, { detail: [{ msg: "model_id and file are required" }] });
      }
      return json(res, 200, {
        language_code: "en",
        language_probability: 0.98,
        text: state.transcript,
        words: [],
      });
    }

    if (url.pathname === "/v1/convai/conversation/get-signed-url" && req.method === "GET") {
      const agentId = url.searchParams.get("agent_id");
      if (!agentId) return json(res, 422, { detail: [{ msg: "agent_id is required" }] });
      return json(res, 200, {
        signed_url: `wss://stand-in.invalid/v1/convai/conversation?agent_id=${agentId}&conversation_signature=sig_${requests.length}`,
      });
    }

    const conversation = /^\/v1\/convai\/conversations\/([^/]+)$/.exec(url.pathname);
    if (conversation && req.method === "GET") {
      const found = conversations.get(decodeURIComponent(conversation[1] ?? ""));
      if (!found) return json(res, 404, { detail: { status: "not_found", message: "Not found" } });
      return json(res, 200, {
        ...found,
        metadata: { start_time_unix_secs: 1_764_576_000, call_duration_secs: 42 },
        has_audio: true,
        has_user_audio: true,
        has_response_audio: true,
      });
    }

    json(res, 404, { detail: "Not Found" });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    get transcript() {
      return state.transcript;
    },
    set transcript(text: string) {
      state.transcript = text;
    },
    conversations,
    failNext(how) {
      failure = how;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
