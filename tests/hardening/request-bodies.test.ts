// Issue 9, finding 13, through the real route handlers: an oversized body sent chunked (no
// Content-Length, so nothing warns the server) is refused with 413 while it is still arriving,
// having pulled no more than the cap plus one chunk, and nothing is saved or counted; for a text
// message (64 KB cap) and for a voice message (multipart, 10 MB cap), whose reader is a different
// one. The trickled body is e2e/api-edge-hardening.spec.ts's (against the production server)
// and tests/http/body-stream.test.ts's (the reader).

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { POST as voiceRoute } from "@/app/api/conversations/[id]/voice/route";
import { setConfigForTests } from "@/lib/config";
import { setDbForTests } from "@/lib/db";
import { MAX_BODY_BYTES } from "@/lib/http/body";
import { setVoiceSettingsForTests } from "@/lib/voice/settings";
import {
  BASE,
  BASE_ENV,
  createConversation,
  ctx,
  getConversation,
  personaIds,
} from "../support/hardening-app";
import { freshPglitePort } from "../support/pglite";
import { CookieJar, callRoute } from "../support/request-scope";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

const { POST: postMessageRoute } = await import("@/app/api/conversations/[id]/messages/route");

const VOICE_CAP = 10 * 1024 * 1024;

let pglite: PGlite;
const jar = new CookieJar();
let id = "";

beforeAll(async () => {
  const fresh = await freshPglitePort();
  pglite = fresh.db;
  setDbForTests(fresh.port);
  setConfigForTests({ ...BASE_ENV });
  const created = await createConversation(jar, (await personaIds())[0] ?? "", "192.0.2.77");
  id = ((await created.json()) as { conversation: { id: string } }).conversation.id;
});

afterAll(async () => {
  setVoiceSettingsForTests(undefined);
  setDbForTests(undefined);
  setConfigForTests();
  await pglite.close();
});

/** A body of `chunks` chunks of `size` bytes, counting what the server pulled from it. */
function endlessBody(first: string, size: number, chunks: number) {
  let pulled = 0;
  let sent = 0;
  let cancelled = false;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent === chunks) return controller.close();
        const chunk =
          sent === 0 ? encoder.encode(first.padEnd(size, "x")) : new Uint8Array(size).fill(0x78);
        sent += 1;
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

function chunkedPost(path: string, contentType: string, body: ReadableStream<Uint8Array>) {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json" },
    body,
    duplex: "half",
  } as RequestInit);
}

async function nothingSaved() {
  const detail = await getConversation(jar, id);
  expect(detail.body.messages).toEqual([]);
  expect(detail.body.allowance?.used).toBe(0);
  const { rows } = await pglite.query<{ n: number }>(
    "select count(*)::int as n from chat_private.usage_events where kind in ('message', 'voice')",
  );
  expect(rows[0]?.n).toBe(0);
}

it("a 5 MB text message sent chunked: 413 at the 64 KB cap, the rest never read", async () => {
  const body = endlessBody('{"content":"', 16 * 1024, 320);
  const response = await callRoute(
    jar,
    postMessageRoute,
    chunkedPost(`/conversations/${id}/messages`, "application/json", body.stream),
    ctx(id),
  );
  console.log(`5 MB chunked message: ${response.status} after pulling ${body.pulled()} bytes`);
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
    "payload_too_large",
  );
  expect(body.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 16 * 1024);
  expect(body.cancelled()).toBe(true);
  await nothingSaved();
});

it("a 40 MB voice message sent chunked: 413 at the 10 MB cap, the rest never read", async () => {
  // Speech-to-text configured (so the route reads the upload); it is never reached.
  setVoiceSettingsForTests({
    elevenlabs: {
      apiKey: "stand-in-key-never-used",
      baseUrl: "http://127.0.0.1:9",
      agentId: null,
      ttsModel: "eleven_flash_v2_5",
      sttModel: "scribe_v1",
      timeoutMs: 500,
    },
    maxSpeechChars: 1000,
    synthesisTimeoutMs: 60_000,
  });
  const part =
    '--b\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF';
  const body = endlessBody(part, 256 * 1024, 160);
  const response = await callRoute(
    jar,
    voiceRoute,
    chunkedPost(`/conversations/${id}/voice`, "multipart/form-data; boundary=b", body.stream),
    ctx(id),
  );
  console.log(
    `40 MB chunked voice message: ${response.status} after pulling ${body.pulled()} bytes`,
  );
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
    "payload_too_large",
  );
  expect(body.pulled()).toBeLessThanOrEqual(VOICE_CAP + 64 * 1024 + 256 * 1024);
  expect(body.cancelled()).toBe(true);
  await nothingSaved();
});
