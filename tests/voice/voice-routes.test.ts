// The voice route handlers of app/api, called directly on a migrated PGlite database: the audio
// of a message (whole, by range, only to its owner), voice messages answered exactly like typed
// ones (JSON and stream), their refusals costing nothing, and live sessions for users only.
// The caller (lib/auth/actor) is set by each test; ElevenLabs is the stand-in of this folder.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as chat from "@/lib/chat/service";
import type { Actor } from "@/lib/chat/types";
import type { DbPort } from "@/lib/db";
import { setVoiceSettingsForTests } from "@/lib/voice/settings";
import type { VoiceSettings } from "@/lib/voice/types";
import { newGuest, newUser } from "../domain/scenarios";
import { useDatabase } from "../support/database";
import { freshPglitePort } from "../support/pglite";
import { type ElevenLabsStandIn, startElevenLabsStandIn } from "./elevenlabs-stand-in";
import { chromiumWebm, sampleWav } from "./support";

const caller = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({
  getActor: async () => caller.actor,
  getOrCreateActor: async () => caller.actor,
}));

const { GET: audioRoute } = await import(
  "@/app/api/conversations/[id]/messages/[messageId]/audio/route"
);
const { POST: voiceRoute } = await import("@/app/api/conversations/[id]/voice/route");
const { POST: sessionRoute } = await import("@/app/api/conversations/[id]/voice-session/route");

const BASE = "http://test.local/api";
let pglite: PGlite;
let port: DbPort;
let restore: () => void;
let standIn: ElevenLabsStandIn;
let socrates = "";

const builtinOnly: VoiceSettings = {
  elevenlabs: null,
  maxSpeechChars: 1000,
  synthesisTimeoutMs: 60_000,
};
const withElevenLabs = (): VoiceSettings => ({
  elevenlabs: {
    apiKey: standIn.apiKey,
    baseUrl: standIn.url,
    agentId: "agent_routes",
    ttsModel: "eleven_flash_v2_5",
    sttModel: "scribe_v1",
    timeoutMs: 500,
  },
  maxSpeechChars: 1000,
  synthesisTimeoutMs: 60_000,
});

const sql = async (text: string, params?: unknown[]) =>
  (await pglite.query<Record<string, unknown>>(text, params)).rows;

beforeAll(async () => {
  ({ db: pglite, port } = await freshPglitePort());
  restore = useDatabase(port);
  standIn = await startElevenLabsStandIn();
  socrates = (await chat.listPersonas()).find((p) => p.slug === "socrates")?.id ?? "";
});

afterAll(async () => {
  setVoiceSettingsForTests(undefined);
  restore();
  await standIn.close();
  await pglite.close();
});

beforeEach(() => {
  setVoiceSettingsForTests(builtinOnly);
});

async function answered(actor: Actor) {
  const conversation = await chat.startConversation(actor, socrates);
  const context = await chat.postUserMessage(actor, conversation.id, "Hello?");
  const { message } = await chat.saveAssistantMessage(
    actor,
    conversation.id,
    "Greetings. What is on your mind?",
    context.userMessage.id,
    { leaseId: context.lease.id },
  );
  return {
    conversationId: conversation.id,
    replyId: message.id,
    questionId: context.userMessage.id,
  };
}

const getAudio = (
  conversationId: string,
  messageId: string,
  headers: Record<string, string> = {},
) =>
  audioRoute(
    new Request(`${BASE}/conversations/${conversationId}/messages/${messageId}/audio`, { headers }),
    { params: Promise.resolve({ id: conversationId, messageId }) },
  );

const errorCode = async (response: Response) => (await response.json()).error.code as string;

describe("GET /api/conversations/{id}/messages/{messageId}/audio", () => {
  it("answers the persona's spoken reply, then byte ranges of the same audio", async () => {
    const guest = newGuest();
    caller.actor = guest;
    const { conversationId, replyId } = await answered(guest);

    const whole = await getAudio(conversationId, replyId);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("audio/mpeg");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(bytes.byteLength).toBe(Number(whole.headers.get("content-length")));
    expect(bytes[0]).toBe(0xff);

    const part = await getAudio(conversationId, replyId, { range: "bytes=100-" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(
      `bytes 100-${bytes.byteLength - 1}/${bytes.byteLength}`,
    );
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(100));

    const detail = await chat.getConversation(guest, conversationId);
    expect(detail.messages.find((m) => m.id === replyId)?.audioUrl).toBe(
      `/api/conversations/${conversationId}/messages/${replyId}/audio`,
    );
  });

  it("is 404 for another visitor, no session, an unknown message or another conversation's; 400 for a bad id", async () => {
    const owner = newGuest();
    caller.actor = owner;
    const a = await answered(owner);
    const b = await answered(owner);
    expect((await getAudio(a.conversationId, a.replyId)).status).toBe(200);

    caller.actor = newGuest();
    const stranger = await getAudio(a.conversationId, a.replyId);
    expect(stranger.status).toBe(404);
    expect(await errorCode(stranger)).toBe("not_found");
    caller.actor = null;
    expect((await getAudio(a.conversationId, a.replyId)).status).toBe(404);

    caller.actor = owner;
    expect((await getAudio(b.conversationId, a.replyId)).status).toBe(404);
    expect((await getAudio(a.conversationId, "6f1d2c9e-0000-4000-8000-000000000000")).status).toBe(
      404,
    );
    expect((await getAudio(a.conversationId, a.questionId)).status).toBe(404);
    expect((await getAudio(a.conversationId, "not-a-uuid")).status).toBe(400);
  });
});

function voicePost(
  conversationId: string,
  file: Blob | null,
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  if (file) form.set("audio", file, "voice.webm");
  return voiceRoute(
    new Request(`${BASE}/conversations/${conversationId}/voice`, {
      method: "POST",
      body: form,
      headers,
    }),
    { params: Promise.resolve({ id: conversationId }) },
  );
}

const webm = () =>
  new Blob([chromiumWebm() as Uint8Array<ArrayBuffer>], { type: "audio/webm;codecs=opus" });
const sttRequests = () => standIn.requests.filter((r) => r.path === "/v1/speech-to-text").length;

describe("POST /api/conversations/{id}/voice", () => {
  it("without speech-to-text answers 503 speech_unavailable and saves nothing", async () => {
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);
    const response = await voicePost(conversation.id, webm(), { accept: "application/json" });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("speech_unavailable");
    expect((await chat.getConversation(guest, conversation.id)).messages).toEqual([]);
  });

  it("answers like POST .../messages with the transcript, as JSON; the message keeps its recording", async () => {
    setVoiceSettingsForTests(withElevenLabs());
    standIn.transcript = "What is virtue?";
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);

    const response = await voicePost(conversation.id, webm(), { accept: "application/json" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      userMessage: { role: "user", content: "What is virtue?" },
      assistantMessage: { role: "assistant" },
      allowance: { limit: 10, used: 1, remaining: 9 },
    });
    expect(body.userMessage.audioUrl).toBe(
      `/api/conversations/${conversation.id}/messages/${body.userMessage.id}/audio`,
    );
    const recording = await getAudio(conversation.id, body.userMessage.id);
    expect(recording.headers.get("content-type")).toBe("audio/webm");
    expect(Buffer.from(await recording.arrayBuffer()).equals(Buffer.from(chromiumWebm()))).toBe(
      true,
    );
  });

  it("streams the reply like POST .../messages", async () => {
    setVoiceSettingsForTests(withElevenLabs());
    standIn.transcript = "Tell me about the stars.";
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);
    const response = await voicePost(conversation.id, webm());
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const chunks = (await response.text())
      .split("\n\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)));
    expect(chunks[0]).toMatchObject({
      type: "start",
      messageMetadata: { userMessage: { content: "Tell me about the stars.", role: "user" } },
    });
    expect(chunks[0].messageMetadata.userMessage.audioUrl).toMatch(/\/audio$/);
    expect(chunks.at(-1)?.type).toBe("finish");
  });

  it("refuses what is not audio, empty or too long (400), too large (413), not multipart (415): nothing saved, counted or transcribed", async () => {
    setVoiceSettingsForTests(withElevenLabs());
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);
    const before = sttRequests();

    const cases: [Blob | null, number, string][] = [
      [new Blob(["just some text"], { type: "audio/webm" }), 400, "invalid_audio"],
      [new Blob([], { type: "audio/webm" }), 400, "invalid_audio"],
      [
        new Blob([sampleWav(61) as Uint8Array<ArrayBuffer>], { type: "audio/wav" }),
        400,
        "invalid_audio",
      ],
      [null, 400, "invalid_audio"],
    ];
    for (const [file, status, code] of cases) {
      const response = await voicePost(conversation.id, file, { accept: "application/json" });
      expect(response.status).toBe(status);
      expect(await errorCode(response)).toBe(code);
    }
    const big = new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: "audio/wav" });
    const tooLarge = await voicePost(conversation.id, big, { accept: "application/json" });
    expect(tooLarge.status).toBe(413);
    const json = await voiceRoute(
      new Request(`${BASE}/conversations/${conversation.id}/voice`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
      { params: Promise.resolve({ id: conversation.id }) },
    );
    expect(json.status).toBe(415);

    expect(sttRequests()).toBe(before);
    const detail = await chat.getConversation(guest, conversation.id);
    expect(detail.messages).toEqual([]);
    expect(detail.allowance).toEqual({ limit: 10, used: 0, remaining: 10 });
  });

  it("while a reply is being written: 409 reply_in_progress, nothing transcribed or saved", async () => {
    setVoiceSettingsForTests(withElevenLabs());
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);
    // A typed message whose reply is still running: it holds the conversation's reply lease.
    const running = await chat.postUserMessage(guest, conversation.id, "Tell me a long story.");
    const before = sttRequests();
    const refused = await voicePost(conversation.id, webm(), { accept: "application/json" });
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe("reply_in_progress");
    expect(sttRequests()).toBe(before);
    const detail = await chat.getConversation(guest, conversation.id);
    expect(detail.messages.map((m) => m.content)).toEqual(["Tell me a long story."]);
    expect(detail.allowance?.used).toBe(1);

    // Once that reply is saved, the voice message goes through.
    await chat.saveAssistantMessage(
      guest,
      conversation.id,
      "Once upon a time.",
      running.userMessage.id,
      {
        leaseId: running.lease.id,
      },
    );
    standIn.transcript = "And then?";
    const sent = await voicePost(conversation.id, webm(), { accept: "application/json" });
    expect(sent.status).toBe(200);
    expect(sttRequests()).toBe(before + 1);
  });

  it("a guest at the cap gets 429 without a transcription; a stranger 404; speech-to-text failing 503 with nothing saved", async () => {
    setVoiceSettingsForTests(withElevenLabs());
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);
    await sql("update public.conversations set guest_message_count = 10 where id = $1", [
      conversation.id,
    ]);
    const before = sttRequests();
    const capped = await voicePost(conversation.id, webm(), { accept: "application/json" });
    expect(capped.status).toBe(429);
    expect(await errorCode(capped)).toBe("guest_limit_reached");

    caller.actor = newGuest();
    expect((await voicePost(conversation.id, webm())).status).toBe(404);
    expect(sttRequests()).toBe(before);

    caller.actor = guest;
    const open = await chat.startConversation(guest, socrates);
    await sql("update public.conversations set guest_message_count = 0 where id = $1", [
      conversation.id,
    ]);
    for (const how of [401, 429, 500, "hang"] as const) {
      standIn.failNext(how);
      const failed = await voicePost(open.id, webm(), { accept: "application/json" });
      expect(failed.status).toBe(503);
      expect(await errorCode(failed)).toBe("speech_failed");
    }
    standIn.transcript = "   ";
    const silent = await voicePost(open.id, webm(), { accept: "application/json" });
    expect(silent.status).toBe(400);
    expect(await errorCode(silent)).toBe("invalid_audio");
    expect((await chat.getConversation(guest, open.id)).messages).toEqual([]);
    const [row] = await sql(
      "select count(*)::int as n from chat_private.message_audio where conversation_id = $1",
      [open.id],
    );
    expect(row?.n).toBe(0);
  });
});

const sessionPost = (conversationId: string, body: unknown) =>
  sessionRoute(
    new Request(`${BASE}/conversations/${conversationId}/voice-session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: conversationId }) },
  );

describe("POST /api/conversations/{id}/voice-session", () => {
  it("is 503 voice_unavailable without an agent, 403 sign_in_required for guests", async () => {
    const guest = newGuest();
    caller.actor = guest;
    const conversation = await chat.startConversation(guest, socrates);
    const off = await sessionPost(conversation.id, { action: "start" });
    expect(off.status).toBe(503);
    expect(await errorCode(off)).toBe("voice_unavailable");

    setVoiceSettingsForTests(withElevenLabs());
    const refused = await sessionPost(conversation.id, { action: "start" });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("sign_in_required");
  });

  it("starts a session for a user and saves its transcript when it ends (202 while processing)", async () => {
    setVoiceSettingsForTests(withElevenLabs());
    const user = await newUser(sql);
    caller.actor = user;
    const conversation = await chat.startConversation(user, socrates);

    const start = await sessionPost(conversation.id, { action: "start" });
    expect(start.status).toBe(200);
    const started = await start.json();
    expect(started.signedUrl).toMatch(/agent_id=agent_routes/);
    expect(started.overrides.tts.voiceId).toBe("onwK4e9ZLuTAKqWW03F9");

    standIn.conversations.set("conv_routes", {
      agent_id: "agent_routes",
      conversation_id: "conv_routes",
      status: "processing",
      transcript: [{ role: "agent", message: "Greetings.", time_in_call_secs: 0 }],
      conversation_initiation_client_data: { dynamic_variables: started.dynamicVariables },
    });
    const pending = await sessionPost(conversation.id, { action: "end", sessionId: "conv_routes" });
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ status: "processing" });

    const found = standIn.conversations.get("conv_routes");
    if (found) found.status = "done";
    const done = await sessionPost(conversation.id, { action: "end", sessionId: "conv_routes" });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: "saved", saved: true, messageCount: 1 });
    const bad = await sessionPost(conversation.id, { action: "end", sessionId: "../../etc" });
    expect(bad.status).toBe(400);
  });
});
