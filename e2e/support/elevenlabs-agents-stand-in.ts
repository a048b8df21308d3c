// A STAND-IN for ElevenLabs Agents (the real service is remote and paid, so tests cannot reach it).
// It follows ElevenLabs' documented Agents WebSocket protocol for what @elevenlabs/client does
// in a voice session over a signed URL, and nothing more:
//   GET  /v1/convai/conversation/get-signed-url?agent_id=   (xi-api-key) → {signed_url}: a one-use
//        ws:// URL to this server, carrying agent_id and conversation_signature
//   WS   /v1/convai/conversation?agent_id=&conversation_signature=   (subprotocol "convai")
//     client → conversation_initiation_client_data {conversation_config_override, dynamic_variables}
//     server → conversation_initiation_metadata {conversation_id, agent_output_audio_format,
//              user_input_audio_format: pcm_16000}
//     server → agent_response (the first message) and audio (PCM 16 kHz, base64), ping
//     client → user_audio_chunk (base64 PCM 16 kHz), pong {event_id}
//     server → user_transcript once a second of audible speech has arrived, then agent_response,
//              audio and ping again
//   GET  /v1/convai/conversations/{id}   (xi-api-key) → the transcript: served by the HTTP
//        stand-in (tests/voice/elevenlabs-stand-in.ts) from the conversations this one records.
//        A session is "in-progress" while open, "processing" for a moment after it closes (the
//        app must ask again), then "done".
// Speech recognition and the agent's words are scripted: the visitor "says" `userTranscript`,
// the agent answers `agentReply`.

import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { IncomingSocketEvent } from "@elevenlabs/client";
import { type WebSocket, WebSocketServer } from "ws";
import type { StandInConversation } from "../../tests/voice/elevenlabs-stand-in";

/** What the client sent first (the overrides and dynamic variables of the session). */
export type InitiationClientData = {
  type: "conversation_initiation_client_data";
  conversation_config_override?: {
    agent?: { prompt?: { prompt?: string }; first_message?: string; language?: string };
    tts?: { voice_id?: string };
  };
  dynamic_variables?: Record<string, unknown>;
};

/** One WebSocket session, as a test can read it back. */
export type AgentsSession = {
  agentId: string;
  conversationId: string | null;
  clientData: InitiationClientData | null;
  /** Every event type this server sent, in order. */
  sent: string[];
  /** user_audio_chunk messages received, and their PCM bytes. */
  audioChunks: number;
  audioBytes: number;
  /** The loudest chunk's RMS (0-1): the fake microphone's sentence makes it well above zero. */
  peakLevel: number;
  pingsSent: number[];
  pongs: number[];
  closed: boolean;
};

export type AgentsStandInOptions = {
  apiKey: string;
  /** Where the HTTP stand-in's conversations live (GET /v1/convai/conversations/{id} reads them). */
  conversations: Map<string, StandInConversation>;
  /** The ws:// origin the signed URLs point to (this server's own address). */
  publicOrigin: () => string;
  userTranscript?: string;
  agentReply?: string;
  /** How long a closed session reads "processing" before "done". */
  processingMs?: number;
};

const SAMPLE_RATE = 16_000;
/** This much audible speech from the visitor counts as one spoken turn. */
const TURN_BYTES = SAMPLE_RATE * 2;
/** RMS above this is speech, not the silence around it. */
const AUDIBLE = 0.02;

/** `seconds` of a soft two-tone chime as 16-bit PCM (the agent's "voice"), base64 in chunks. */
function voiceChunks(seconds: number, hz: number): string[] {
  const total = Math.round(seconds * SAMPLE_RATE);
  const pcm = Buffer.alloc(total * 2);
  for (let i = 0; i < total; i++) {
    const fade = Math.min(1, i / 800, (total - i) / 800);
    const t = i / SAMPLE_RATE;
    const v = 0.25 * fade * (Math.sin(2 * Math.PI * hz * t) + 0.5 * Math.sin(4 * Math.PI * hz * t));
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2);
  }
  const chunk = SAMPLE_RATE / 4; // 250 ms of samples per audio event
  const out: string[] = [];
  for (let at = 0; at < total; at += chunk) {
    out.push(pcm.subarray(at * 2, Math.min(total, at + chunk) * 2).toString("base64"));
  }
  return out;
}

function rmsOf(pcm: Buffer): number {
  const samples = Math.floor(pcm.byteLength / 2);
  if (samples === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const v = pcm.readInt16LE(i * 2) / 32768;
    sum += v * v;
  }
  return Math.sqrt(sum / samples);
}

export function createAgentsStandIn(options: AgentsStandInOptions) {
  const userTranscript = options.userTranscript ?? "Tell me about the good life, please.";
  const agentReply =
    options.agentReply ?? "A fine question. Let us begin with what you already believe.";
  const processingMs = options.processingMs ?? 1_500;
  /** Signatures handed out with a signed URL, each good for one connection. */
  const signatures = new Map<string, string>();
  const sessions: AgentsSession[] = [];
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has("convai") ? "convai" : false),
  });

  function send(socket: WebSocket, session: AgentsSession, event: IncomingSocketEvent) {
    if (socket.readyState !== socket.OPEN) return;
    session.sent.push(event.type);
    socket.send(JSON.stringify(event));
  }

  /** The agent says `text`: its words, then its voice, then a ping (answered with a pong). */
  function speak(socket: WebSocket, session: AgentsSession, eventId: number, text: string) {
    const conversation = session.conversationId
      ? options.conversations.get(session.conversationId)
      : undefined;
    conversation?.transcript.push({
      role: "agent",
      message: text,
      time_in_call_secs: eventId,
    });
    send(socket, session, {
      type: "agent_response",
      agent_response_event: { agent_response: text, event_id: eventId },
    });
    for (const audio of voiceChunks(1.2, 330 + eventId * 40)) {
      send(socket, session, {
        type: "audio",
        audio_event: { audio_base_64: audio, event_id: eventId },
      });
    }
    session.pingsSent.push(eventId);
    send(socket, session, { type: "ping", ping_event: { event_id: eventId, ping_ms: null } });
  }

  wss.on("connection", (socket: WebSocket, _request: IncomingMessage, agentId: string) => {
    const session: AgentsSession = {
      agentId,
      conversationId: null,
      clientData: null,
      sent: [],
      audioChunks: 0,
      audioBytes: 0,
      peakLevel: 0,
      pingsSent: [],
      pongs: [],
      closed: false,
    };
    sessions.push(session);
    let heard = 0;
    let answered = false;
    // The visitor's turn starts once the agent's first message has been played to them.
    let listeningFrom = Number.POSITIVE_INFINITY;
    const firstMessageTimeout = setTimeout(() => socket.close(1008, "No initiation data"), 5_000);

    socket.on("message", (raw) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(raw.toString()) as Record<string, unknown>;
      } catch {
        socket.close(1003, "Invalid JSON");
        return;
      }

      if (session.clientData === null) {
        // The documented first message; anything else first is a protocol error.
        if (message.type !== "conversation_initiation_client_data") {
          socket.close(1008, "Expected conversation_initiation_client_data first");
          return;
        }
        clearTimeout(firstMessageTimeout);
        session.clientData = message as InitiationClientData;
        const conversationId = `conv_${randomBytes(10).toString("hex")}`;
        session.conversationId = conversationId;
        options.conversations.set(conversationId, {
          agent_id: agentId,
          conversation_id: conversationId,
          status: "in-progress",
          transcript: [],
          conversation_initiation_client_data: {
            dynamic_variables: session.clientData.dynamic_variables ?? {},
          },
        });
        send(socket, session, {
          type: "conversation_initiation_metadata",
          conversation_initiation_metadata_event: {
            conversation_id: conversationId,
            agent_output_audio_format: "pcm_16000",
            user_input_audio_format: "pcm_16000",
          },
        });
        const first =
          session.clientData.conversation_config_override?.agent?.first_message ?? "Hello!";
        speak(socket, session, 1, first);
        listeningFrom = Date.now() + 1_500;
        return;
      }

      if (typeof message.user_audio_chunk === "string") {
        const pcm = Buffer.from(message.user_audio_chunk, "base64");
        session.audioChunks += 1;
        session.audioBytes += pcm.byteLength;
        const level = rmsOf(pcm);
        session.peakLevel = Math.max(session.peakLevel, level);
        if (answered || Date.now() < listeningFrom || level < AUDIBLE) return;
        heard += pcm.byteLength;
        if (heard < TURN_BYTES) return;
        answered = true;
        const conversation = options.conversations.get(session.conversationId ?? "");
        conversation?.transcript.push({
          role: "user",
          message: userTranscript,
          time_in_call_secs: 2,
        });
        send(socket, session, {
          type: "user_transcript",
          user_transcription_event: { user_transcript: userTranscript, event_id: 2 },
        });
        speak(socket, session, 2, agentReply);
        return;
      }

      if (message.type === "pong" && typeof message.event_id === "number") {
        session.pongs.push(message.event_id);
      }
      // user_activity, contextual_update, feedback: accepted and ignored, as they change nothing here.
    });

    socket.on("close", () => {
      clearTimeout(firstMessageTimeout);
      session.closed = true;
      const conversation = options.conversations.get(session.conversationId ?? "");
      if (!conversation) return;
      conversation.status = "processing";
      setTimeout(() => {
        conversation.status = "done";
      }, processingMs).unref();
    });
  });

  return {
    sessions,
    userTranscript,
    agentReply,

    /** GET .../get-signed-url; false when the request is not that. */
    handleSignedUrl(request: IncomingMessage, response: ServerResponse): boolean {
      const url = new URL(request.url ?? "/", "http://stand-in");
      if (request.method !== "GET" || url.pathname !== "/v1/convai/conversation/get-signed-url") {
        return false;
      }
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.headers["xi-api-key"] !== options.apiKey) {
        json(401, { detail: { status: "invalid_api_key", message: "Invalid API key" } });
        return true;
      }
      const agentId = url.searchParams.get("agent_id");
      if (!agentId) {
        json(422, { detail: [{ msg: "agent_id is required" }] });
        return true;
      }
      const signature = randomBytes(16).toString("hex");
      signatures.set(signature, agentId);
      const signed = new URL("/v1/convai/conversation", options.publicOrigin());
      signed.searchParams.set("agent_id", agentId);
      signed.searchParams.set("conversation_signature", signature);
      json(200, { signed_url: signed.href });
      return true;
    },

    /** The WebSocket upgrade: only with a signature handed out for that agent, once. */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
      const url = new URL(request.url ?? "/", "http://stand-in");
      const signature = url.searchParams.get("conversation_signature") ?? "";
      const agentId = url.searchParams.get("agent_id") ?? "";
      if (url.pathname !== "/v1/convai/conversation" || signatures.get(signature) !== agentId) {
        socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n");
        return;
      }
      signatures.delete(signature);
      wss.handleUpgrade(request, socket, head, (ws) =>
        wss.emit("connection", ws, request, agentId),
      );
    },

    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
