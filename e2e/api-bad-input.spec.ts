// Every kind of bad input to the HTTP API gets a 4xx with the right code, never a 500.
// (An inactive persona cannot be set up from here: tests/chat/api-routes.test.ts and
// tests/chat/reply-flow.test.ts cover it on the route handler and on the SQL function.)

import { expect, test } from "@playwright/test";
import {
  expectError,
  guestCookie,
  JSON_ACCEPT,
  listPersonas,
  postMessage,
  startConversation,
  UNKNOWN_ID,
} from "./support/api-client";

const NOT_UUIDS = ["not-a-uuid", "123", "6a1f0c3e-8b2d-4c5e-9f70-11223344556", "'%20or%201=1--"];

test.describe("message content", () => {
  const cases: [string, unknown][] = [
    ["empty", ""],
    ["whitespace only", "  \n\t  "],
    ["4001 characters", "x".repeat(4001)],
    ["not a string", 42],
    ["missing", undefined],
  ];
  for (const [label, content] of cases) {
    test(`${label} → 400 invalid_input, nothing counted`, async ({ request }) => {
      const conversation = await startConversation(request);
      const response = await request.post(`/api/conversations/${conversation.id}/messages`, {
        data: content === undefined ? {} : { content },
        headers: JSON_ACCEPT,
      });
      const body = await expectError(response, 400, "invalid_input");
      expect(JSON.stringify(body)).toContain('"path":"content"');
      const detail = await (await request.get(`/api/conversations/${conversation.id}`)).json();
      expect(detail.messages).toEqual([]);
      expect(detail.allowance.used).toBe(0);
    });
  }

  test("exactly 4000 characters (after trimming) is accepted", async ({ request }) => {
    const conversation = await startConversation(request);
    const response = await postMessage(request, conversation.id, ` ${"y".repeat(4000)} `);
    expect(response.status()).toBe(200);
    expect((await response.json()).userMessage.content).toHaveLength(4000);
  });
});

test.describe("ids that are not UUIDs → 400 invalid_input", () => {
  for (const id of NOT_UUIDS) {
    test(`id ${JSON.stringify(id)}`, async ({ request }) => {
      await startConversation(request);
      const path = `/api/conversations/${encodeURIComponent(id)}`;
      await expectError(await request.get(path), 400, "invalid_input");
      await expectError(
        await request.post(`${path}/messages`, { data: { content: "Hi" } }),
        400,
        "invalid_input",
      );
      await expectError(await request.post(`${path}/end`), 400, "invalid_input");
      await expectError(await request.post(`${path}/retry`), 400, "invalid_input");
      await expectError(
        await request.post("/api/conversations", { data: { personaId: id } }),
        400,
        "invalid_input",
      );
    });
  }
});

test("unknown ids → 404 not_found / persona_not_found", async ({ request }) => {
  await startConversation(request);
  const path = `/api/conversations/${UNKNOWN_ID}`;
  await expectError(await request.get(path), 404, "not_found");
  await expectError(await postMessage(request, UNKNOWN_ID, "Hi"), 404, "not_found");
  await expectError(await postMessage(request, UNKNOWN_ID, "Hi", "stream"), 404, "not_found");
  await expectError(await request.post(`${path}/end`), 404, "not_found");
  await expectError(await request.post(`${path}/retry`), 404, "not_found");
  await expectError(
    await request.post("/api/conversations", { data: { personaId: UNKNOWN_ID } }),
    404,
    "persona_not_found",
  );
});

test.describe("bodies that are not a JSON object → 400 invalid_json", () => {
  const bodies: [string, string][] = [
    ["an array", '[{"content":"Hi"}]'],
    ["a string", '"Hi"'],
    ["null", "null"],
    ["a number", "42"],
    ["invalid JSON", '{"content": "Hi"'],
    ["an empty body", ""],
  ];
  for (const [label, raw] of bodies) {
    test(label, async ({ request }) => {
      const [persona] = await listPersonas(request);
      const conversation = await startConversation(request, persona?.id);
      const headers = { "content-type": "application/json" };
      await expectError(
        await request.post(`/api/conversations/${conversation.id}/messages`, {
          data: raw,
          headers,
        }),
        400,
        "invalid_json",
      );
      await expectError(
        await request.post("/api/conversations", { data: raw, headers }),
        400,
        "invalid_json",
      );
    });
  }
});

test.describe("wrong content type → 415 unsupported_media_type", () => {
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]) {
    test(type, async ({ request }) => {
      const conversation = await startConversation(request);
      const data = JSON.stringify({ content: "Hi", personaId: conversation.personaId });
      await expectError(
        await request.post(`/api/conversations/${conversation.id}/messages`, {
          data,
          headers: { "content-type": type },
        }),
        415,
        "unsupported_media_type",
      );
      await expectError(
        await request.post("/api/conversations", { data, headers: { "content-type": type } }),
        415,
        "unsupported_media_type",
      );
    });
  }
});

test("a body over 64 KB → 413 payload_too_large", async ({ request }) => {
  const conversation = await startConversation(request);
  await expectError(
    await postMessage(request, conversation.id, "z".repeat(70_000)),
    413,
    "payload_too_large",
  );
});

test.describe("guest cookies that are not ours → treated as no session", () => {
  test("forged (another session's id with a made-up signature) and garbled cookies read nothing", async ({
    request,
    playwright,
    baseURL,
  }) => {
    const [persona] = await listPersonas(request);
    const created = await request.post("/api/conversations", { data: { personaId: persona?.id } });
    const { conversation } = await created.json();
    const real = guestCookie(created)?.value ?? "";
    const [sessionId] = real.split(".");
    const forgedValues = [
      `${sessionId}.${"A".repeat(43)}`,
      `${sessionId}`,
      "garbled!!%%",
      `${"B".repeat(43)}.${real.split(".")[1]}`,
      "x".repeat(500),
    ];
    for (const value of forgedValues) {
      const other = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: { cookie: `pc_guest=${value}` },
      });
      await expectError(await other.get(`/api/conversations/${conversation.id}`), 404, "not_found");
      await expectError(await postMessage(other, conversation.id, "Let me in"), 404, "not_found");
      await expectError(
        await other.post(`/api/conversations/${conversation.id}/end`),
        404,
        "not_found",
      );
      expect(await (await other.get("/api/conversations")).json()).toEqual({
        conversations: [],
        hasMore: false,
        nextBefore: null,
      });
      await other.dispose();
    }
    // The owner still has it, untouched.
    const detail = await (await request.get(`/api/conversations/${conversation.id}`)).json();
    expect(detail.conversation.status).toBe("active");
    expect(detail.messages).toEqual([]);
  });

  test("no cookie at all: reading answers 404 and sets no cookie", async ({
    playwright,
    baseURL,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const response = await anonymous.get(`/api/conversations/${UNKNOWN_ID}`);
    await expectError(response, 404, "not_found");
    expect(guestCookie(response)).toBeNull();
    const list = await anonymous.get("/api/conversations");
    expect(await list.json()).toEqual({ conversations: [], hasMore: false, nextBefore: null });
    expect(guestCookie(list)).toBeNull();
    await anonymous.dispose();
  });
});

test("another session's conversation → 404 for every call, and nothing changes", async ({
  request,
  playwright,
  baseURL,
}) => {
  const mine = await startConversation(request);
  await postMessage(request, mine.id, "My secret.");
  const other = await playwright.request.newContext({ baseURL });
  await startConversation(other); // a real session of its own

  const path = `/api/conversations/${mine.id}`;
  await expectError(await other.get(path), 404, "not_found");
  await expectError(await postMessage(other, mine.id, "Hijack"), 404, "not_found");
  await expectError(await other.post(`${path}/retry`), 404, "not_found");
  await expectError(await other.post(`${path}/end`), 404, "not_found");
  const theirs = await (await other.get("/api/conversations")).json();
  expect(theirs.conversations.map((c: { id: string }) => c.id)).not.toContain(mine.id);
  await other.dispose();

  const detail = await (await request.get(path)).json();
  expect(detail.conversation.status).toBe("active");
  expect(detail.messages.map((m: { content: string }) => m.content)).toContain("My secret.");
  expect(detail.messages).toHaveLength(2);
});

test("posting to an ended conversation → 409 conversation_ended", async ({ request }) => {
  const conversation = await startConversation(request);
  await request.post(`/api/conversations/${conversation.id}/end`);
  await expectError(
    await postMessage(request, conversation.id, "Still there?"),
    409,
    "conversation_ended",
  );
});

test("an unknown API path → 404 not_found as JSON", async ({ request }) => {
  await expectError(await request.get("/api/nothing-here"), 404, "not_found");
  await expectError(
    await request.post(`/api/conversations/${UNKNOWN_ID}/nothing-here`),
    404,
    "not_found",
  );
});
