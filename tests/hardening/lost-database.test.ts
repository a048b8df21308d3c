// Issue 9, finding 8 (the database dropping), as the visitor's requests see it, on the real
// PostgreSQL server behind a TCP relay (tests/support/tcp-relay.ts) that really drops or stalls
// the app's connections:
// - while the database is gone (connections dropped), a request answers 503 service_unavailable,
//   the contract for an unreachable database, not 500 internal; once it is back, all is well and
//   the refused post saved nothing;
// - while the database does not answer at all (a network partition), a request still ends, with
//   503, instead of waiting for as long as the kernel keeps the socket.

import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { setDbForTests } from "@/lib/db";
import {
  createConversation,
  getConversation,
  personaIds,
  postMessage,
  type ServerApp,
  startServerApp,
} from "../support/hardening-app";
import { CookieJar, codeOfResponse } from "../support/request-scope";
import { describeServer, serverPort } from "../support/server";
import { startTcpRelay, type TcpRelay } from "../support/tcp-relay";

vi.mock("next/headers", async () => (await import("../support/request-scope")).nextHeaders);

// One of 16 million addresses per visitor: the per-address counts are read back by address, and
// every test file shares the database, so two visitors must never share one.
const newIp = () => {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
};

/** How long a request may take to answer while the database does not: generous on purpose. */
const PATIENCE_MS = 30_000;

describeServer("requests while the database is lost (real server)", () => {
  let app: ServerApp;
  let persona = "";
  let relay: TcpRelay;
  let relayed: ReturnType<typeof serverPort>;
  let restoreDb: () => void = () => {};

  beforeAll(async () => {
    app = await startServerApp("lost", {}, 2);
    persona = (await personaIds())[0] ?? "";
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    relay = await startTcpRelay(Number(new URL(app.url).port || 5432));
    // The app's own pool settings (lib/db/pg.ts createPgPool), through the relay.
    relayed = serverPort(relay.through(app.url), 3);
    restoreDb = setDbForTests(relayed.port);
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    restoreDb();
    await relay.close();
    await relayed.pool.end().catch(() => {});
  });

  async function chat(jar: CookieJar, ip: string): Promise<string> {
    const created = await createConversation(jar, persona, ip);
    expect(created.status).toBe(201);
    return ((await created.json()) as { conversation: { id: string } }).conversation.id;
  }

  it("while the database is gone, requests answer 503 service_unavailable; a refused post saves nothing", async () => {
    const jar = new CookieJar();
    const ip = newIp();
    const id = await chat(jar, ip);

    relay.cut();
    const answers = {
      read: await getConversation(jar, id).then((r) => [r.status, r.body.error?.code]),
      post: await postMessage(jar, id, "anyone there?", ip, { json: true }).then(async (r) => [
        r.status,
        await codeOfResponse(r),
      ]),
      start: await createConversation(jar, persona, ip).then(async (r) => [
        r.status,
        await codeOfResponse(r),
      ]),
    };
    console.log(`while the database is gone: ${JSON.stringify(answers)}`);
    relay.restore();

    // Back again: the conversation is as it was, and takes the post now.
    const detail = await getConversation(jar, id);
    expect(detail.body.messages).toEqual([]);
    expect((await postMessage(jar, id, "anyone there?", ip, { json: true })).status).toBe(200);

    expect(answers).toEqual({
      read: [503, "service_unavailable"],
      post: [503, "service_unavailable"],
      start: [503, "service_unavailable"],
    });
  });

  it(
    "while the database does not answer (a partition), a request still ends, with 503",
    async () => {
      const jar = new CookieJar();
      const ip = newIp();
      const id = await chat(jar, ip);

      relay.stall();
      const started = Date.now();
      const outcome = await Promise.race([
        getConversation(jar, id).then((r) => [r.status, r.body.error?.code]),
        new Promise((resolve) => setTimeout(() => resolve("still waiting"), PATIENCE_MS)),
      ]);
      console.log(
        `a read while the database does not answer: ${JSON.stringify(outcome)} after ${Date.now() - started} ms`,
      );
      expect(outcome).toEqual([503, "service_unavailable"]);
    },
    PATIENCE_MS + 30_000,
  );
});
