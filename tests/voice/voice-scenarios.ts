// The voice story, told through lib/voice and lib/chat/service.ts on a real database (PGlite and
// the PostgreSQL server run the same scenarios): spoken replies stored once and read back with
// audio_url set, only by their owner; voice messages counted exactly like typed ones, their
// recordings kept; live-session transcripts saved once; nothing half-saved when speech fails.

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/lib/chat/service";
import type { Actor, Conversation } from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import { databaseAudioStore } from "@/lib/voice/audio-store";
import { postVoiceMessage, readMessageAudio, type VoiceRecording } from "@/lib/voice/message-audio";
import { createSpeechPort } from "@/lib/voice/speech";
import type { PersonaVoice, SpeechPort, VoiceSettings } from "@/lib/voice/types";
import { finishVoiceSession, startVoiceSession } from "@/lib/voice/voice-session";
import {
  type DomainFixture,
  expectAppError,
  GUEST_LIMIT,
  newGuest,
  newUser,
  saved,
} from "../domain/scenarios";
import { useDatabase } from "../support/database";
import { type ElevenLabsStandIn, startElevenLabsStandIn } from "./elevenlabs-stand-in";
import { sampleWav } from "./support";

const store = databaseAudioStore();
const builtin: VoiceSettings = {
  elevenlabs: null,
  maxSpeechChars: 1000,
  synthesisTimeoutMs: 60_000,
};

/** The real built-in voice, counting what it is asked to say and with which voice. */
function countingSpeech(inner: SpeechPort) {
  const calls: { text: string; voice: PersonaVoice }[] = [];
  const port: SpeechPort = {
    kind: inner.kind,
    canTranscribe: inner.canTranscribe,
    synthesize(text, voice, signal) {
      calls.push({ text, voice });
      return inner.synthesize(text, voice, signal);
    },
    transcribe: (bytes, type, signal) => inner.transcribe(bytes, type, signal),
  };
  return { port, calls };
}

const failingSpeech: SpeechPort = {
  kind: "elevenlabs",
  canTranscribe: true,
  synthesize: async () => {
    throw new AppError("speech_failed", "The voice service failed. Try again.");
  },
  transcribe: async () => "unused",
};

const recording = (seconds = 1): VoiceRecording => {
  const bytes = sampleWav(seconds);
  return { bytes, contentType: "audio/wav", durationMs: seconds * 1000 };
};

const audioPath = (conversationId: string, messageId: string) =>
  `/api/conversations/${conversationId}/messages/${messageId}/audio`;

export function defineVoiceScenarios(
  label: string,
  makeFixture: () => Promise<DomainFixture>,
): void {
  describe(label, () => {
    let fx: DomainFixture;
    let restore: () => void = () => {};
    let personas: Record<string, string> = {};
    let standIn: ElevenLabsStandIn;
    const speech = countingSpeech(createSpeechPort(builtin));

    beforeAll(async () => {
      fx = await makeFixture();
      restore = useDatabase(fx.port);
      personas = Object.fromEntries((await chat.listPersonas()).map((p) => [p.slug, p.id]));
      standIn = await startElevenLabsStandIn();
    });

    afterAll(async () => {
      restore();
      await standIn?.close();
      await fx?.cleanup();
    });

    /** A conversation with one question and one persona reply. */
    async function answered(
      actor: Actor,
      slug = "socrates",
      reply = "Know thyself. Then ask again.",
    ) {
      const conversation = await chat.startConversation(actor, personas[slug] ?? "");
      const context = await chat.postUserMessage(actor, conversation.id, "What should I do?");
      const { message } = await chat.saveAssistantMessage(
        actor,
        conversation.id,
        reply,
        context.userMessage.id,
        { leaseId: context.lease.id },
      );
      return { conversation, question: context.userMessage, reply: message };
    }

    const audioRows = async (conversationId: string) =>
      fx.sql(
        `select message_id::text, content_type, byte_size, duration_ms, octet_length(data) as stored
         from chat_private.message_audio where conversation_id = $1 order by created_at`,
        [conversationId],
      );

    describe("spoken replies", () => {
      it("a reply is spoken with its persona's voice on the first request, stored, and audio_url set", async () => {
        const guest = newGuest();
        const { conversation, reply } = await answered(guest);
        expect(reply.audioUrl).toBeNull();
        const before = speech.calls.length;

        const first = await readMessageAudio(guest, conversation.id, reply.id, {
          speech: speech.port,
          store,
        });
        expect(first.contentType).toBe("audio/mpeg");
        expect(first.bytes[0]).toBe(0xff);
        expect(first.durationMs).toBeGreaterThan(800);
        expect(speech.calls.slice(before)).toEqual([
          {
            text: "Know thyself. Then ask again.",
            voice: {
              elevenlabsVoiceId: "onwK4e9ZLuTAKqWW03F9",
              builtin: { voice: "en-gb-x-rp+m1", pitch: 35, speed: 150 },
            },
          },
        ]);

        const rows = await audioRows(conversation.id);
        expect(rows).toEqual([
          {
            message_id: reply.id,
            content_type: "audio/mpeg",
            byte_size: first.bytes.byteLength,
            duration_ms: first.durationMs,
            stored: first.bytes.byteLength,
          },
        ]);
        const detail = await chat.getConversation(guest, conversation.id);
        expect(detail.messages.find((m) => m.id === reply.id)?.audioUrl).toBe(
          audioPath(conversation.id, reply.id),
        );

        // Later requests serve the stored audio: the same bytes, nothing synthesized again.
        const second = await readMessageAudio(guest, conversation.id, reply.id, {
          speech: speech.port,
          store,
        });
        expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
        expect(second.etag).toBe(first.etag);
        expect(speech.calls.length).toBe(before + 1);
      });

      it("two requests at once share one synthesis and one stored audio", async () => {
        const guest = newGuest();
        const { conversation, reply } = await answered(
          guest,
          "chef-remy",
          "Voilà. Taste as you go.",
        );
        const before = speech.calls.length;
        const [a, b] = await Promise.all([
          readMessageAudio(guest, conversation.id, reply.id, { speech: speech.port, store }),
          readMessageAudio(guest, conversation.id, reply.id, { speech: speech.port, store }),
        ]);
        expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
        expect(speech.calls.length).toBe(before + 1);
        expect(await audioRows(conversation.id)).toHaveLength(1);
      });

      it("two personas speak the same words with different voices and different audio", async () => {
        const guest = newGuest();
        const line = "Set a course for the stars.";
        const a = await answered(guest, "socrates", line);
        const b = await answered(guest, "captain-nova", line);
        const socrates = await readMessageAudio(guest, a.conversation.id, a.reply.id, {
          speech: speech.port,
          store,
        });
        const nova = await readMessageAudio(guest, b.conversation.id, b.reply.id, {
          speech: speech.port,
          store,
        });
        const voices = speech.calls.slice(-2).map((c) => c.voice.builtin);
        expect(voices).toEqual([
          { voice: "en-gb-x-rp+m1", pitch: 35, speed: 150 },
          { voice: "en-us+f3", pitch: 62, speed: 175 },
        ]);
        expect(Buffer.from(socrates.bytes).equals(Buffer.from(nova.bytes))).toBe(false);
      });

      it("is the owner's only: strangers, unknown ids and messages of another conversation get not_found", async () => {
        const guest = newGuest();
        const { conversation, question, reply } = await answered(guest);
        const other = await answered(guest, "zen-master-kai");
        await readMessageAudio(guest, conversation.id, reply.id, { speech: speech.port, store });
        const read = (actor: Actor, conversationId: string, messageId: string) =>
          readMessageAudio(actor, conversationId, messageId, { speech: speech.port, store });

        await expectAppError(read(newGuest(), conversation.id, reply.id), "not_found");
        await expectAppError(read(await newUser(fx.sql), conversation.id, reply.id), "not_found");
        // The right message through another of the owner's conversations.
        await expectAppError(read(guest, other.conversation.id, reply.id), "not_found");
        await expectAppError(
          read(guest, conversation.id, "00000000-0000-4000-8000-000000000000"),
          "not_found",
        );
        // A typed user message has no audio, and is not synthesized.
        const calls = speech.calls.length;
        await expectAppError(read(guest, conversation.id, question.id), "not_found");
        expect(speech.calls.length).toBe(calls);
        // A stranger cannot store audio for it either.
        const bytes = sampleWav(0.1);
        await expectAppError(
          chat.saveMessageAudio(newGuest(), other.conversation.id, other.reply.id, {
            contentType: "audio/wav",
            byteSize: bytes.byteLength,
            durationMs: 100,
            dataBase64: Buffer.from(bytes).toString("base64"),
            storagePath: null,
          }),
          "not_found",
        );
        expect(await audioRows(other.conversation.id)).toEqual([]);
      });

      it("a failed synthesis stores nothing and leaves audio_url unset; the next request speaks", async () => {
        const guest = newGuest();
        const { conversation, reply } = await answered(guest);
        await expectAppError(
          readMessageAudio(guest, conversation.id, reply.id, { speech: failingSpeech, store }),
          "speech_failed",
        );
        expect(await audioRows(conversation.id)).toEqual([]);
        const detail = await chat.getConversation(guest, conversation.id);
        expect(detail.messages.find((m) => m.id === reply.id)?.audioUrl).toBeNull();

        const audio = await readMessageAudio(guest, conversation.id, reply.id, {
          speech: speech.port,
          store,
        });
        expect(audio.bytes.byteLength).toBeGreaterThan(0);
      });

      it("ElevenLabs failures (401, 429, 500, timeout) store nothing; then ElevenLabs speaks the reply", async () => {
        const eleven = createSpeechPort({
          elevenlabs: {
            apiKey: standIn.apiKey,
            baseUrl: standIn.url,
            agentId: "agent_test",
            ttsModel: "eleven_flash_v2_5",
            sttModel: "scribe_v1",
            timeoutMs: 300,
          },
          maxSpeechChars: 1000,
          synthesisTimeoutMs: 1000,
        });
        const guest = newGuest();
        const { conversation, reply } = await answered(guest, "chef-remy");
        for (const how of [401, 429, 500, "hang"] as const) {
          standIn.failNext(how);
          await expectAppError(
            readMessageAudio(guest, conversation.id, reply.id, { speech: eleven, store }),
            "speech_failed",
          );
          expect(await audioRows(conversation.id)).toEqual([]);
        }
        const audio = await readMessageAudio(guest, conversation.id, reply.id, {
          speech: eleven,
          store,
        });
        expect(standIn.requests.at(-1)?.path).toBe("/v1/text-to-speech/ErXwobaYiN019PkySvjV");
        expect(audio.durationMs).toBeGreaterThanOrEqual(1000);
        expect((await audioRows(conversation.id))[0]?.byte_size).toBe(audio.bytes.byteLength);
      });

      it("storing twice keeps the first recording", async () => {
        const guest = newGuest();
        const { conversation, reply } = await answered(guest);
        const put = (seconds: number) => {
          const bytes = sampleWav(seconds);
          return chat.saveMessageAudio(guest, conversation.id, reply.id, {
            contentType: "audio/wav",
            byteSize: bytes.byteLength,
            durationMs: seconds * 1000,
            dataBase64: Buffer.from(bytes).toString("base64"),
            storagePath: null,
          });
        };
        const first = await put(0.5);
        const second = await put(0.25);
        expect(first).toMatchObject({
          created: true,
          durationMs: 500,
          audioUrl: audioPath(conversation.id, reply.id),
        });
        expect(second).toMatchObject({ created: false, durationMs: 500, byteSize: first.byteSize });
        const audio = await readMessageAudio(guest, conversation.id, reply.id, {
          speech: failingSpeech,
          store,
        });
        expect(Buffer.from(audio.bytes).equals(Buffer.from(sampleWav(0.5)))).toBe(true);
      });

      it("refuses audio that is not within the bounds, and bytes that do not match their size", async () => {
        const guest = newGuest();
        const { conversation, reply } = await answered(guest);
        const bytes = Buffer.from(sampleWav(0.1));
        const base = {
          contentType: "audio/wav" as const,
          byteSize: bytes.byteLength,
          durationMs: 100,
          dataBase64: bytes.toString("base64"),
          storagePath: null as string | null,
        };
        const save = (audio: Partial<typeof base>) =>
          chat.saveMessageAudio(guest, conversation.id, reply.id, { ...base, ...audio });
        await expectAppError(save({ byteSize: bytes.byteLength + 1 }), "invalid_audio");
        await expectAppError(save({ durationMs: 0 }), "invalid_audio");
        await expectAppError(save({ contentType: "text/plain" as never }), "invalid_audio");
        await expectAppError(save({ storagePath: "x/y.wav" }), "invalid_audio");
        expect(await audioRows(conversation.id)).toEqual([]);
      });

      it("deleting a conversation deletes its audio", async () => {
        const guest = newGuest();
        const { conversation, reply } = await answered(guest);
        await readMessageAudio(guest, conversation.id, reply.id, { speech: speech.port, store });
        expect(await audioRows(conversation.id)).toHaveLength(1);
        await fx.sql("delete from public.conversations where id = $1", [conversation.id]);
        expect(await audioRows(conversation.id)).toEqual([]);
      });
    });

    describe("voice messages", () => {
      it("are posted like typed messages, keep their recording, and count once against the allowance", async () => {
        const guest = newGuest();
        const conversation = await chat.startConversation(guest, personas.socrates ?? "");
        const voice = recording(1);
        const context = await postVoiceMessage(guest, conversation.id, "What is virtue?", voice, {
          store,
        });

        expect(context.userMessage).toMatchObject({
          role: "user",
          content: "What is virtue?",
          audioUrl: audioPath(conversation.id, context.userMessage.id),
        });
        expect(context.allowance).toEqual({
          limit: GUEST_LIMIT,
          used: 1,
          remaining: GUEST_LIMIT - 1,
        });
        expect(context.history.at(-1)).toEqual({ role: "user", content: "What is virtue?" });
        expect(context.persona.slug).toBe("socrates");

        const audio = await readMessageAudio(guest, conversation.id, context.userMessage.id, {
          speech: failingSpeech,
          store,
        });
        expect(audio.contentType).toBe("audio/wav");
        expect(audio.durationMs).toBe(1000);
        expect(Buffer.from(audio.bytes).equals(Buffer.from(voice.bytes))).toBe(true);
        await expectAppError(
          readMessageAudio(newGuest(), conversation.id, context.userMessage.id, { store }),
          "not_found",
        );
      });

      it("a burst of voice and typed posts past the cap saves exactly the allowance, recordings included", async () => {
        const guest = newGuest();
        const attempts = GUEST_LIMIT + 6;
        // One conversation per post: a conversation takes one message at a time (its reply's
        // lease), so only the allowance refuses here.
        const conversations = [];
        for (let i = 0; i <= attempts; i++) {
          conversations.push(await chat.startConversation(guest, personas["captain-nova"] ?? ""));
        }
        const ids = conversations.map((c) => c.id);
        const results = await Promise.allSettled(
          Array.from({ length: attempts }, (_, i) =>
            i % 2 === 0
              ? postVoiceMessage(guest, ids[i] ?? "", `Voice ${i}`, recording(0.2), { store })
              : chat.postUserMessage(guest, ids[i] ?? "", `Typed ${i}`),
          ),
        );
        const refused = results.filter((r) => r.status === "rejected");
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(GUEST_LIMIT);
        for (const r of refused) expect((r.reason as AppError).code).toBe("guest_limit_reached");

        const counts = await saved(fx.sql, ids);
        expect(counts).toEqual({
          messages: GUEST_LIMIT,
          userMessages: GUEST_LIMIT,
          guestCount: GUEST_LIMIT,
        });
        // Every saved voice message has its recording, and no refused one left any.
        const [row] = await fx.sql(
          `select
             (select count(*)::int from public.messages m
               where m.conversation_id = any($1::uuid[]) and m.content like 'Voice %') as voice_messages,
             (select count(*)::int from chat_private.message_audio a
               where a.conversation_id = any($1::uuid[])) as recordings,
             (select count(*)::int from public.messages m
               where m.conversation_id = any($1::uuid[]) and m.content like 'Voice %'
                 and m.audio_url is not null) as with_url`,
          [ids],
        );
        expect(row?.recordings).toBe(row?.voice_messages);
        expect(row?.with_url).toBe(row?.voice_messages);

        await expectAppError(
          postVoiceMessage(guest, ids[attempts] ?? "", "One more", recording(0.2), { store }),
          "guest_limit_reached",
        );
        expect(await saved(fx.sql, ids)).toEqual(counts);
      });

      it("an ended or somebody else's conversation saves nothing", async () => {
        const guest = newGuest();
        const conversation = await chat.startConversation(guest, personas.socrates ?? "");
        await expectAppError(
          postVoiceMessage(newGuest(), conversation.id, "Hello", recording(), { store }),
          "not_found",
        );
        await chat.endConversation(guest, conversation.id);
        await expectAppError(
          postVoiceMessage(guest, conversation.id, "Hello", recording(), { store }),
          "conversation_ended",
        );
        expect(await saved(fx.sql, [conversation.id])).toEqual({
          messages: 0,
          userMessages: 0,
          guestCount: 0,
        });
        expect(await audioRows(conversation.id)).toEqual([]);
      });
    });

    describe("live voice sessions", () => {
      const settings = (): VoiceSettings => ({
        elevenlabs: {
          apiKey: standIn.apiKey,
          baseUrl: standIn.url,
          agentId: "agent_live",
          ttsModel: "eleven_flash_v2_5",
          sttModel: "scribe_v1",
          timeoutMs: 300,
        },
        maxSpeechChars: 1000,
        synthesisTimeoutMs: 1000,
      });

      function session(
        conversation: Conversation,
        status: "processing" | "done" = "done",
        agent = "agent_live",
      ) {
        const id = `conv_${randomBytes(8).toString("hex")}`;
        standIn.conversations.set(id, {
          agent_id: agent,
          conversation_id: id,
          status,
          transcript: [
            { role: "agent", message: "Greetings, friend.", time_in_call_secs: 0 },
            { role: "user", message: "What is justice?", time_in_call_secs: 3 },
            { role: "agent", message: "What do you think it is?", time_in_call_secs: 5 },
            { role: "user", message: "   ", time_in_call_secs: 9 },
          ],
          conversation_initiation_client_data: {
            dynamic_variables: { persona_chat_conversation_id: conversation.id },
          },
        });
        return id;
      }

      it("start: a signed URL from the server's key and the persona's prompt, first message and voice", async () => {
        const user = await newUser(fx.sql);
        const conversation = await chat.startConversation(user, personas.socrates ?? "");
        const start = await startVoiceSession(user, conversation.id, { settings: settings() });
        expect(standIn.requests.at(-1)?.path).toBe("/v1/convai/conversation/get-signed-url");
        expect(standIn.requests.at(-1)?.query.get("agent_id")).toBe("agent_live");
        expect(start.signedUrl).toMatch(/^wss:\/\//);
        expect(start.overrides.agent.prompt.prompt).toMatch(/^You are Socrates/);
        expect(start.overrides.agent.firstMessage).toMatch(/^Greetings, friend/);
        expect(start.overrides.tts.voiceId).toBe("onwK4e9ZLuTAKqWW03F9");
        expect(start.dynamicVariables).toEqual({ persona_chat_conversation_id: conversation.id });
        expect(JSON.stringify(start)).not.toContain(standIn.apiKey);
      });

      it("end: the turns are saved in order, once, and the session is recorded on the conversation", async () => {
        const user = await newUser(fx.sql);
        const conversation = await chat.startConversation(user, personas.socrates ?? "");
        const pending = session(conversation, "processing");
        expect(
          await finishVoiceSession(user, conversation.id, pending, { settings: settings() }),
        ).toEqual({
          status: "processing",
        });
        expect(await saved(fx.sql, [conversation.id])).toMatchObject({ messages: 0 });

        const id = session(conversation);
        const first = await finishVoiceSession(user, conversation.id, id, { settings: settings() });
        expect(first).toMatchObject({ status: "saved", saved: true, messageCount: 3 });
        const again = await finishVoiceSession(user, conversation.id, id, { settings: settings() });
        expect(again).toMatchObject({ status: "saved", saved: false, messageCount: 3 });

        const detail = await chat.getConversation(user, conversation.id);
        expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
          ["assistant", "Greetings, friend."],
          ["user", "What is justice?"],
          ["assistant", "What do you think it is?"],
        ]);
        const [row] = await fx.sql(
          "select elevenlabs_session_id from public.conversations where id = $1",
          [conversation.id],
        );
        expect(row?.elevenlabs_session_id).toBe(id);
      });

      it("guests are refused with sign_in_required, strangers and foreign sessions with not_found", async () => {
        const owner = await newUser(fx.sql);
        const conversation = await chat.startConversation(owner, personas.socrates ?? "");
        const other = await chat.startConversation(owner, personas.socrates ?? "");
        const id = session(conversation);
        const deps = { settings: settings() };
        const requests = standIn.requests.length;

        await expectAppError(
          startVoiceSession(newGuest(), conversation.id, deps),
          "sign_in_required",
        );
        await expectAppError(
          finishVoiceSession(newGuest(), conversation.id, id, deps),
          "sign_in_required",
        );
        const stranger = await newUser(fx.sql);
        await expectAppError(startVoiceSession(stranger, conversation.id, deps), "not_found");
        await expectAppError(finishVoiceSession(stranger, conversation.id, id, deps), "not_found");
        // Neither asked ElevenLabs for anything.
        expect(standIn.requests.length).toBe(requests);

        // A session started for another conversation, or with another agent, is not this one's.
        await expectAppError(finishVoiceSession(owner, other.id, id, deps), "not_found");
        const foreign = session(conversation, "done", "agent_other");
        await expectAppError(
          finishVoiceSession(owner, conversation.id, foreign, deps),
          "not_found",
        );
        // The SQL function holds the same line when asked directly.
        await expectAppError(
          chat.saveVoiceTranscript(newGuest(), conversation.id, id, []),
          "sign_in_required",
        );
        await finishVoiceSession(owner, conversation.id, id, deps);
        await expectAppError(chat.saveVoiceTranscript(owner, other.id, id, []), "not_found");
        expect(await saved(fx.sql, [other.id])).toMatchObject({ messages: 0 });
      });

      it("ElevenLabs failing (401, 429, 500, timeout) saves nothing; without an agent: voice_unavailable", async () => {
        const user = await newUser(fx.sql);
        const conversation = await chat.startConversation(user, personas.socrates ?? "");
        const id = session(conversation);
        for (const how of [401, 429, 500, "hang"] as const) {
          standIn.failNext(how);
          await expectAppError(
            finishVoiceSession(user, conversation.id, id, { settings: settings() }),
            "speech_failed",
          );
          standIn.failNext(how);
          await expectAppError(
            startVoiceSession(user, conversation.id, { settings: settings() }),
            "speech_failed",
          );
        }
        expect(await saved(fx.sql, [conversation.id])).toMatchObject({ messages: 0 });
        const [row] = await fx.sql(
          "select elevenlabs_session_id from public.conversations where id = $1",
          [conversation.id],
        );
        expect(row?.elevenlabs_session_id).toBeNull();
        await expectAppError(
          startVoiceSession(user, conversation.id, { settings: builtin }),
          "voice_unavailable",
        );
      });
    });
  });
}
