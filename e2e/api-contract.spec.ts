// The HTTP API as the README describes it, against the production build: shapes, the guest
// cookie, the allowance counting down to 429, the streamed reply, and the failed-reply retry.

import { expect, test } from "@playwright/test";
import {
  expectError,
  getConversation,
  guestCookie,
  listPersonas,
  parseUiStream,
  postMessage,
  type ReplyJson,
  replyError,
  replyText,
  retry,
  startConversation,
} from "./support/api-client";

test("GET /api/personas lists the active personas in the documented shape", async ({ request }) => {
  const personas = await listPersonas(request);
  expect(personas.map((p) => p.slug)).toEqual([
    "socrates",
    "captain-nova",
    "chef-remy",
    "zen-master-kai",
  ]);
  for (const persona of personas) {
    expect(Object.keys(persona).sort()).toEqual(
      ["avatarUrl", "greeting", "id", "name", "slug", "tagline"].sort(),
    );
    expect(persona.id).toMatch(/^[0-9a-f-]{36}$/);
  }
});

test("POST /api/conversations answers 201 and sets the HttpOnly, SameSite=Lax guest cookie once", async ({
  request,
}) => {
  const [persona] = await listPersonas(request);
  const response = await request.post("/api/conversations", { data: { personaId: persona?.id } });
  expect(response.status()).toBe(201);
  const cookie = guestCookie(response);
  expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
  expect(cookie?.attributes).toMatch(/HttpOnly/i);
  expect(cookie?.attributes).toMatch(/SameSite=Lax/i);
  expect(cookie?.attributes).toMatch(/Path=\//i);

  const { conversation } = await response.json();
  expect(conversation).toMatchObject({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    personaId: persona?.id,
    status: "active",
    isGuestSession: true,
    createdAt: expect.any(String),
    endedAt: null,
  });

  // The same session starts a second conversation without a new cookie.
  const second = await request.post("/api/conversations", { data: { personaId: persona?.id } });
  expect(second.status()).toBe(201);
  expect(guestCookie(second)).toBeNull();

  // GET lists the caller's own, newest first.
  const list = await (await request.get("/api/conversations")).json();
  expect(list.conversations.map((c: { id: string }) => c.id)).toEqual([
    (await second.json()).conversation.id,
    conversation.id,
  ]);

  const detail = await getConversation(request, conversation.id);
  expect(detail.conversation.id).toBe(conversation.id);
  expect(detail.persona.id).toBe(persona?.id);
  expect(detail.messages).toEqual([]);
  expect(detail.allowance).toEqual({ limit: 10, used: 0, remaining: 10 });
});

test("a JSON-mode post returns the saved message, the reply and the allowance counting down", async ({
  request,
}) => {
  const conversation = await startConversation(request);
  for (const [i, content] of ["Hello there.", "What is courage?"].entries()) {
    const response = await postMessage(request, conversation.id, `  ${content}\n`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/json");
    const body = (await response.json()) as ReplyJson;
    expect(body.userMessage).toMatchObject({ role: "user", content, audioUrl: null });
    expect(body.assistantMessage).toMatchObject({ role: "assistant", content: expect.any(String) });
    expect(body.assistantMessage.content.length).toBeGreaterThan(0);
    expect(body.allowance).toEqual({ limit: 10, used: i + 1, remaining: 9 - i });
  }
  const detail = await getConversation(request, conversation.id);
  expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  expect(detail.conversation.status).toBe("active");
});

test("a streaming post answers text/event-stream: start metadata, text deltas, finish", async ({
  request,
}) => {
  const conversation = await startConversation(request);
  const response = await postMessage(
    request,
    conversation.id,
    "Tell me about the stars.",
    "stream",
  );
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/event-stream");
  expect(response.headers()["x-vercel-ai-ui-message-stream"]).toBe("v1");

  const { chunks, done } = parseUiStream(await response.text());
  expect(done).toBe(true);
  const types = chunks.map((c) => c.type);
  expect(types[0]).toBe("start");
  expect(types[1]).toBe("text-start");
  expect(types.filter((t) => t === "text-delta").length).toBeGreaterThan(1);
  expect(types.slice(-2)).toEqual(["text-end", "finish"]);

  const start = chunks[0] as { messageMetadata: Record<string, unknown> };
  expect(start.messageMetadata).toMatchObject({
    userMessage: { role: "user", content: "Tell me about the stars." },
    allowance: { limit: 10, used: 1, remaining: 9 },
    conversation: { id: conversation.id, status: "active" },
  });
  const text = replyText(chunks);
  const finish = chunks.at(-1);
  expect(finish?.type === "finish" && finish.messageMetadata?.assistantMessage?.content).toBe(text);

  const detail = await getConversation(request, conversation.id);
  expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
    ["user", "Tell me about the stars."],
    ["assistant", text],
  ]);
});

test("after 10 guest messages the 11th is refused with 429 guest_limit_reached, in any conversation", async ({
  request,
}) => {
  const first = await startConversation(request);
  for (let i = 1; i <= 10; i++) {
    const response = await postMessage(request, first.id, `Message ${i}`);
    expect(response.status(), `message ${i}`).toBe(200);
    expect((await response.json()).allowance.remaining).toBe(10 - i);
  }
  await expectError(await postMessage(request, first.id, "Message 11"), 429, "guest_limit_reached");
  await expectError(
    await postMessage(request, first.id, "Message 11", "stream"),
    429,
    "guest_limit_reached",
  );

  // The allowance is per session, not per conversation.
  const second = await startConversation(request);
  await expectError(await postMessage(request, second.id, "Hi"), 429, "guest_limit_reached");

  const detail = await getConversation(request, first.id);
  expect(detail.allowance).toEqual({ limit: 10, used: 10, remaining: 0 });
  expect(detail.messages.filter((m) => m.role === "user")).toHaveLength(10);
});

test("a failed reply (JSON): 503 reply_failed, status error, message kept; retry answers it for free", async ({
  request,
}) => {
  const conversation = await startConversation(request);
  const failed = await postMessage(request, conversation.id, "Hello #fail-once");
  await expectError(failed, 503, "reply_failed");

  let detail = await getConversation(request, conversation.id);
  expect(detail.conversation.status).toBe("error");
  expect(detail.messages.map((m) => [m.role, m.content])).toEqual([["user", "Hello #fail-once"]]);
  expect(detail.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });

  const retried = await retry(request, conversation.id);
  expect(retried.status()).toBe(200);
  const body = (await retried.json()) as ReplyJson;
  expect(body.userMessage.id).toBe(detail.messages[0]?.id);
  expect(body.assistantMessage).toMatchObject({ role: "assistant" });
  expect(body.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });

  detail = await getConversation(request, conversation.id);
  expect(detail.conversation.status).toBe("active");
  expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  expect(detail.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });

  // Answered: nothing left to retry.
  await expectError(await retry(request, conversation.id), 409, "nothing_to_retry");
});

test("a failed reply (stream): an error chunk with reply_failed JSON; the streamed retry finishes", async ({
  request,
}) => {
  const conversation = await startConversation(request);
  const failed = await postMessage(request, conversation.id, "Stream #fail-once", "stream");
  expect(failed.status()).toBe(200);
  const { chunks } = parseUiStream(await failed.text());
  expect(chunks[0]?.type).toBe("start");
  expect(chunks.some((c) => c.type === "finish")).toBe(false);
  expect(chunks.at(-1)?.type).toBe("error");
  expect(replyError(chunks)).toEqual({
    code: "reply_failed",
    message: expect.any(String),
  });
  expect((await getConversation(request, conversation.id)).conversation.status).toBe("error");

  const retried = await retry(request, conversation.id, "stream");
  const replay = parseUiStream(await retried.text());
  expect(replay.chunks[0]).toMatchObject({
    type: "start",
    messageMetadata: { allowance: { used: 1, remaining: 9 } },
  });
  expect(replay.chunks.at(-1)).toMatchObject({
    type: "finish",
    messageMetadata: { conversation: { status: "active" } },
  });
  const detail = await getConversation(request, conversation.id);
  expect(detail.conversation.status).toBe("active");
  expect(detail.allowance).toEqual({ limit: 10, used: 1, remaining: 9 });
});

test("POST /end ends the conversation (idempotent); afterwards posts and retries answer 409", async ({
  request,
}) => {
  const conversation = await startConversation(request);
  const response = await request.post(`/api/conversations/${conversation.id}/end`);
  expect(response.status()).toBe(200);
  const { conversation: ended } = await response.json();
  expect(ended).toMatchObject({
    id: conversation.id,
    status: "ended",
    endedAt: expect.any(String),
  });

  const again = await request.post(`/api/conversations/${conversation.id}/end`);
  expect((await again.json()).conversation.endedAt).toBe(ended.endedAt);

  await expectError(
    await postMessage(request, conversation.id, "Hello?"),
    409,
    "conversation_ended",
  );
  await expectError(
    await postMessage(request, conversation.id, "Hello?", "stream"),
    409,
    "conversation_ended",
  );
  await expectError(await retry(request, conversation.id), 409, "conversation_ended");
  const detail = await getConversation(request, conversation.id);
  expect(detail.messages).toEqual([]);
  expect(detail.allowance?.used).toBe(0);
});
