// Issue 9, finding 8, on the real PostgreSQL server: a crash mid-reply never leaves a conversation
// stuck. Two real failures, nothing simulated in the app:
// - the process writing the reply is killed (SIGKILL) mid-stream: a child process runs the app's
//   reply code (tests/support/reply-in-child.ts) and is killed at its first words;
// - the database goes away mid-reply: every connection to it is dropped (tests/support/
//   tcp-relay.ts) while a reply streams through the real route handler.
// Either way the conversation keeps its unanswered message; while the reply's lease
// (AI_TIMEOUT_MS) runs it reads `active` and takes no other post, then it reads `error`, and
// Retry (the real route) answers the same message without costing the guest a message.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { decodeGuestCookie, GUEST_COOKIE } from "@/lib/auth/guest-session";
import { setDbForTests } from "@/lib/db";
import {
  BASE_ENV,
  createConversation,
  getConversation,
  listConversations,
  personaIds,
  postMessage,
  retry,
  type ServerApp,
  startServerApp,
} from "../support/hardening-app";
import { CookieJar, codeOfResponse } from "../support/request-scope";
import { describeServer, serverPort } from "../support/server";
import { startTcpRelay } from "../support/tcp-relay";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

/** The reply's lease: short, so the test waits seconds, not the default 30. */
const LEASE_MS = 4_000;

// One of 16 million addresses per visitor: the per-address counts are read back by address, and
// every test file shares the database, so two visitors must never share one.
const newIp = () => {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
};

type ChildEvent = { type: string; [key: string]: unknown };

/** Runs a reply in a child process and kills it (SIGKILL) at the first piece of reply text. */
function replyInChildKilledMidStream(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/support/reply-in-child.ts"],
    {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "test",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const events: ChildEvent[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      if (event.type === "text-delta" && child.exitCode === null) child.kill("SIGKILL");
    }
  });
  return new Promise<{ signal: NodeJS.Signals | null; code: number | null; events: ChildEvent[] }>(
    (resolve) =>
      child.once("exit", (code, signal) => {
        if (signal !== "SIGKILL") console.error(`reply child stderr:\n${stderr}`);
        resolve({ code, signal, events });
      }),
  );
}

describeServer("a crash mid-reply, then Retry (real server)", () => {
  let app: ServerApp;
  let persona = "";

  beforeAll(async () => {
    app = await startServerApp("crash", { AI_TIMEOUT_MS: String(LEASE_MS) }, 5);
    persona = (await personaIds())[0] ?? "";
  });
  afterAll(async () => {
    await app?.close();
  });

  async function startChat(jar: CookieJar, ip: string): Promise<string> {
    const response = await createConversation(jar, persona, ip);
    expect(response.status).toBe(201);
    return ((await response.json()) as { conversation: { id: string } }).conversation.id;
  }

  /** The stored row, as the crash left it (not the status the API derives). */
  async function stored(id: string) {
    const [row] = await app.sql(
      `select c.status::text as status, c.reply_lease_id is not null as leased,
         coalesce(c.reply_lease_until - now() > interval '1500 milliseconds', false) as lease_roomy,
         (select string_agg(m.role, ',' order by m.created_at, m.id) from public.messages m
           where m.conversation_id = c.id) as roles
       from public.conversations c where c.id = $1`,
      [id],
    );
    return row as { status: string; leased: boolean; lease_roomy: boolean; roles: string | null };
  }

  /** While the dead reply's lease runs: busy (active), and a post is refused and saves nothing. */
  async function expectBusyWhileLeaseRuns(jar: CookieJar, id: string, ip: string) {
    if (!(await stored(id)).lease_roomy) {
      console.log("(the lease had nearly run out before the check; busy check skipped)");
      return;
    }
    const post = await postMessage(jar, id, "hello again?", ip, { json: true });
    expect(await codeOfResponse(post)).toBe("reply_in_progress");
    expect((await stored(id)).roles).toBe("user");
  }

  /** Polls GET /api/conversations/{id} (generously) until it reads `error`. */
  async function waitForError(jar: CookieJar, id: string) {
    const deadline = Date.now() + 60_000;
    let detail = await getConversation(jar, id);
    while (detail.body.conversation.status !== "error" && Date.now() < deadline) {
      expect(detail.body.conversation.status).toBe("active");
      await new Promise((resolve) => setTimeout(resolve, 200));
      detail = await getConversation(jar, id);
    }
    return detail;
  }

  /** Retry through the real route: the same message is answered, the allowance unchanged. */
  async function expectRetryAnswers(jar: CookieJar, id: string, ip: string, userMessageId: string) {
    const response = await retry(jar, id, ip);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      userMessage: { id: string };
      assistantMessage: { content: string };
      allowance: { used: number };
      conversation: { status: string };
    };
    expect(body.userMessage.id).toBe(userMessageId);
    expect(body.assistantMessage.content.length).toBeGreaterThan(0);
    expect(body.conversation.status).toBe("active");
    expect(body.allowance.used).toBe(1);
    const detail = await getConversation(jar, id);
    expect(detail.body.conversation.status).toBe("active");
    expect(detail.body.messages.map((m) => [m.id === userMessageId, m.role])).toEqual([
      [true, "user"],
      [false, "assistant"],
    ]);
    const [row] = await app.sql(
      "select count(*)::int as n from chat_private.usage_events where subject = $1 and kind = 'retry'",
      [`ip:${ip}`],
    );
    expect(row?.n).toBe(1);
  }

  it("the process is killed (SIGKILL) mid-reply: `error` once the lease runs out, then Retry answers", async () => {
    const jar = new CookieJar();
    const ip = newIp();
    const id = await startChat(jar, ip);
    const sessionId = decodeGuestCookie(jar.get(GUEST_COOKIE)?.value);
    expect(sessionId).toBeTruthy();

    const run = await replyInChildKilledMidStream({
      DATABASE_URL: app.url,
      APP_SECRET: BASE_ENV.APP_SECRET,
      AI_TIMEOUT_MS: String(LEASE_MS),
      // Slow enough that the reply cannot finish before the kill.
      BUILTIN_ENGINE_DELAY_MS: "500",
      REPLY_SESSION_ID: sessionId ?? "",
      REPLY_CONVERSATION_ID: id,
      REPLY_CONTENT: "Tell me a long story about the sea.",
      REPLY_IP: ip,
    });
    expect(run.signal).toBe("SIGKILL");
    const types = run.events.map((e) => e.type);
    expect(types).toContain("text-delta");
    expect(types).not.toContain("finish");
    const userMessageId = String(run.events.find((e) => e.type === "posted")?.userMessageId);

    // What the crash left: the message, no reply, the conversation never marked.
    expect(await stored(id)).toMatchObject({ status: "active", leased: true, roles: "user" });
    await expectBusyWhileLeaseRuns(jar, id, ip);

    const detail = await waitForError(jar, id);
    expect(detail.body.conversation.status).toBe("error");
    expect(detail.body.messages.map((m) => m.role)).toEqual(["user"]);
    // The history list says so too (it is what the sidebar shows after a reload).
    const listed = (await listConversations(jar)).conversations as {
      id: string;
      status?: string;
    }[];
    expect(listed.find((c) => c.id === id)?.status).toBe("error");

    await expectRetryAnswers(jar, id, ip, userMessageId);
  });

  it("the database goes away mid-reply: the stream ends with an error, `error` after the lease, then Retry answers", async () => {
    const relay = await startTcpRelay(Number(new URL(app.url).port || 5432));
    const relayed = serverPort(relay.through(app.url), 3);
    const restoreDb = setDbForTests(relayed.port);
    app.configure({ AI_TIMEOUT_MS: String(LEASE_MS), BUILTIN_ENGINE_DELAY_MS: "30" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const jar = new CookieJar();
      const ip = newIp();
      const id = await startChat(jar, ip);
      const response = await postMessage(jar, id, "Tell me about the stars.", ip);
      expect(response.status).toBe(200);

      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes('"text-delta"')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      relay.cut();
      // The stream still ends (it does not hang on the lost database), with an error, no finish.
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      const chunks = text
        .split("\n\n")
        .filter((e) => e.startsWith("data: {"))
        .map((e) => JSON.parse(e.slice(6)) as { type: string; errorText?: string });
      const userMessageId = (
        chunks[0] as unknown as { messageMetadata: { userMessage: { id: string } } }
      ).messageMetadata.userMessage.id;
      expect(chunks.map((c) => c.type)).not.toContain("finish");
      expect(chunks.at(-1)?.type).toBe("error");
      console.log(`stream after the database went away ends with: ${chunks.at(-1)?.errorText}`);

      relay.restore();
      // Nobody could mark it: the stored row is as the lost database left it.
      expect(await stored(id)).toMatchObject({ status: "active", leased: true, roles: "user" });
      await expectBusyWhileLeaseRuns(jar, id, ip);
      const detail = await waitForError(jar, id);
      expect(detail.body.conversation.status).toBe("error");
      // The retry streams at full speed: its own reply must not run into AI_TIMEOUT_MS.
      app.configure({ AI_TIMEOUT_MS: String(LEASE_MS) });
      await expectRetryAnswers(jar, id, ip, userMessageId);
    } finally {
      errors.mockRestore();
      warnings.mockRestore();
      restoreDb();
      app.configure({ AI_TIMEOUT_MS: String(LEASE_MS) });
      await relayed.port.close();
      await relay.close();
    }
  });
});
