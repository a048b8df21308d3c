// The ElevenLabs client against the stand-in that follows its documented HTTP API: the key in
// xi-api-key, the voice id in the path, the request bodies, and a clear error for each failure.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mp3DurationMs } from "@/lib/voice/audio-format";
import { createElevenLabsClient, TTS_OUTPUT_FORMAT } from "@/lib/voice/elevenlabs";
import { createSpeechPort } from "@/lib/voice/speech";
import type { ElevenLabsSettings } from "@/lib/voice/types";
import { expectAppError } from "../domain/scenarios";
import { type ElevenLabsStandIn, startElevenLabsStandIn } from "./elevenlabs-stand-in";
import { sampleWav } from "./support";

let standIn: ElevenLabsStandIn;
let settings: ElevenLabsSettings;

beforeAll(async () => {
  standIn = await startElevenLabsStandIn();
  settings = {
    apiKey: standIn.apiKey,
    baseUrl: `${standIn.url}/`,
    agentId: "agent_test",
    ttsModel: "eleven_flash_v2_5",
    sttModel: "scribe_v1",
    timeoutMs: 1_000,
  };
});

afterAll(() => standIn?.close());

const last = () => {
  const request = standIn.requests.at(-1);
  if (!request) throw new Error("the stand-in received no request");
  return request;
};

describe("ElevenLabs text-to-speech", () => {
  it("sends the text and model with the key to the persona's voice, and gets MP3 with its duration", async () => {
    const client = createElevenLabsClient(settings);
    const audio = await client.textToSpeech("Bonjour, mon ami!", "ErXwobaYiN019PkySvjV");

    const request = last();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/text-to-speech/ErXwobaYiN019PkySvjV");
    expect(request.query.get("output_format")).toBe(TTS_OUTPUT_FORMAT);
    expect(request.headers["xi-api-key"]).toBe(standIn.apiKey);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body.toString("utf8"))).toEqual({
      text: "Bonjour, mon ami!",
      model_id: "eleven_flash_v2_5",
    });

    expect(audio.contentType).toBe("audio/mpeg");
    expect(audio.bytes.byteLength).toBeGreaterThan(1000);
    // The stand-in speaks one second of tone (plus the encoder's last frame).
    expect(audio.durationMs).toBeGreaterThanOrEqual(1000);
    expect(audio.durationMs).toBeLessThan(1100);
    expect(Math.round(mp3DurationMs(audio.bytes) ?? 0)).toBe(audio.durationMs);
  });

  it("speaks with the persona's voice through the speech port, or the default voice without one", async () => {
    const port = createSpeechPort({
      elevenlabs: settings,
      maxSpeechChars: 1000,
      synthesisTimeoutMs: 1000,
    });
    expect(port.kind).toBe("elevenlabs");
    expect(port.canTranscribe).toBe(true);
    const a = await port.synthesize("Hi.", { elevenlabsVoiceId: "voiceA", builtin: null });
    expect(last().path).toBe("/v1/text-to-speech/voiceA");
    await port.synthesize("Hi.", { elevenlabsVoiceId: null, builtin: null });
    expect(last().path).toBe("/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb");
    const b = await port.synthesize("Hi.", { elevenlabsVoiceId: "voiceB", builtin: null });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(false);
  });
});

describe("ElevenLabs speech-to-text", () => {
  it("posts the recording as multipart with model_id scribe_v1 and returns the text", async () => {
    standIn.transcript = "What is virtue?";
    const wav = sampleWav(0.5);
    const text = await createElevenLabsClient(settings).speechToText(wav, "audio/wav");
    expect(text).toBe("What is virtue?");

    const request = last();
    expect(request.path).toBe("/v1/speech-to-text");
    expect(request.headers["xi-api-key"]).toBe(standIn.apiKey);
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Request("http://x/", {
      method: "POST",
      headers: { "content-type": String(request.headers["content-type"]) },
      body: new Uint8Array(request.body),
    }).formData();
    expect(form.get("model_id")).toBe("scribe_v1");
    const file = form.get("file") as File;
    expect(file.type).toBe("audio/wav");
    expect(file.name).toBe("voice.wav");
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(wav))).toBe(true);
  });
});

describe("ElevenLabs Agents", () => {
  it("gets a signed URL for the agent with the key", async () => {
    const url = await createElevenLabsClient(settings).signedUrl("agent_test");
    expect(url).toMatch(/^wss:\/\/.+agent_id=agent_test&conversation_signature=/);
    const request = last();
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/v1/convai/conversation/get-signed-url");
    expect(request.query.get("agent_id")).toBe("agent_test");
    expect(request.headers["xi-api-key"]).toBe(standIn.apiKey);
  });

  it("reads a conversation's transcript in order, agent turns as assistant, empty turns left out", async () => {
    standIn.conversations.set("conv_1", {
      agent_id: "agent_test",
      conversation_id: "conv_1",
      status: "done",
      transcript: [
        { role: "agent", message: "Greetings.", time_in_call_secs: 0 },
        { role: "user", message: "Hi Socrates", time_in_call_secs: 2 },
        { role: "agent", message: null, time_in_call_secs: 3 },
        { role: "agent", message: "What is on your mind?", time_in_call_secs: 4 },
      ],
      conversation_initiation_client_data: { dynamic_variables: { x: "1" } },
    });
    const details = await createElevenLabsClient(settings).conversation("conv_1");
    expect(last().path).toBe("/v1/convai/conversations/conv_1");
    expect(details).toEqual({
      conversationId: "conv_1",
      agentId: "agent_test",
      status: "done",
      turns: [
        { role: "assistant", content: "Greetings." },
        { role: "user", content: "Hi Socrates" },
        { role: "assistant", content: "What is on your mind?" },
      ],
      dynamicVariables: { x: "1" },
    });
  });
});

describe("ElevenLabs failures", () => {
  const cases = [
    [401, "unauthorized", /refused the server's API key/],
    [429, "rate_limited", /busy/],
    [500, "upstream", /failed/],
    ["hang", "timeout", /took too long/],
  ] as const;

  for (const [how, reason, sentence] of cases) {
    it(`${how} is speech_failed (${reason}) with a clear sentence, for every call`, async () => {
      const client = createElevenLabsClient({ ...settings, timeoutMs: 300 });
      const calls = [
        () => client.textToSpeech("Hello.", "v1"),
        () => client.speechToText(sampleWav(0.2), "audio/wav"),
        () => client.signedUrl("agent_test"),
        () => client.conversation("conv_1"),
      ];
      for (const call of calls) {
        standIn.failNext(how);
        const error = await expectAppError(call(), "speech_failed");
        expect(error.status).toBe(503);
        expect(error.message).toMatch(sentence);
        expect(error.details).toEqual({ reason });
      }
    });
  }

  it("a wrong key is refused by ElevenLabs and reported as the key's fault", async () => {
    const client = createElevenLabsClient({ ...settings, apiKey: "sk_wrong" });
    const error = await expectAppError(client.textToSpeech("Hello.", "v1"), "speech_failed");
    expect(error.details).toEqual({ reason: "unauthorized" });
  });

  it("a timeout is counted from the setting, not from the test's patience", async () => {
    const client = createElevenLabsClient({ ...settings, timeoutMs: 200 });
    standIn.failNext("hang");
    const started = performance.now();
    await expectAppError(client.textToSpeech("Hello.", "v1"), "speech_failed");
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(2_000);
  });
});
