// Titles: the first words of the first message (SQL, with the built-in engine), and a short title
// from an OpenAI-compatible model after the first reply (against the stand-in model server, over
// real HTTP and the real AI SDK; embedded PGlite). The model's title never replaces one the owner
// chose meanwhile, and a model that fails leaves the first-words title.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type AiSettings, cleanTitle, getReplyModel } from "@/lib/ai";
import { newGuestSessionId } from "@/lib/auth/guest-session";
import { runReply, startReply } from "@/lib/chat/reply";
import {
  getConversation,
  listPersonas,
  renameConversation,
  startConversation,
} from "@/lib/chat/service";
import { titleAfterFirstReply, wantsModelTitle } from "@/lib/chat/titles";
import type { Actor } from "@/lib/chat/types";
import { type Scenario, type StandInServer, startStandInServer } from "../ai/stand-in-model-server";
import { useDatabase } from "../support/database";
import { freshPglitePort } from "../support/pglite";

let server: StandInServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function remoteModel(scenario: Scenario) {
  server = await startStandInServer(scenario);
  const ai: AiSettings = {
    model: { kind: "openai-compatible", baseURL: server.baseURL, apiKey: null, model: "m" },
    timeoutMs: 5_000,
    contextTokens: 4_000,
    faultInjection: false,
  };
  return { ai, model: getReplyModel(ai), server };
}

let pglite: PGlite;
let restoreDatabase: () => void;
let personaId = "";
beforeAll(async () => {
  const fresh = await freshPglitePort();
  pglite = fresh.db;
  restoreDatabase = useDatabase(fresh.port);
  personaId = (await listPersonas())[0]?.id ?? "";
});
afterAll(async () => {
  vi.restoreAllMocks();
  restoreDatabase();
  await pglite.close();
});

async function firstExchange(scenario: Scenario, content: string) {
  const { ai, model, server } = await remoteModel(scenario);
  const actor: Actor = { kind: "guest", sessionId: newGuestSessionId() };
  const conversation = await startConversation(actor, personaId);
  const context = await startReply(actor, conversation.id, { kind: "message", content });
  const result = await runReply({ actor, context, model, settings: ai });
  return { actor, ai, model, server, context, result, id: conversation.id };
}

describe("cleanTitle", () => {
  it.each([
    ['"Virtue and Knowledge."', "Virtue and Knowledge"],
    ["Title: The Good Life", "The Good Life"],
    ["  **Courage**  \nsecond line", "Courage"],
    ["«Le bonheur»", "Le bonheur"],
    ["", null],
    ['""', null],
  ])("%j → %j", (raw, title) => {
    expect(cleanTitle(raw)).toBe(title);
  });

  it("cuts a long answer to 100 characters (code points)", () => {
    const title = cleanTitle("🙂".repeat(150));
    expect([...(title ?? "")]).toHaveLength(100);
  });
});

describe("a title from the model after the first reply", () => {
  it("the first words first, then the model's title, asked in one non-streamed call", async () => {
    const { actor, ai, model, server, context, result, id } = await firstExchange(
      {
        kind: "stream",
        chunks: ["Virtue ", "is knowledge."],
        completion: '"Virtue as Knowledge."',
      },
      "Can virtue be taught, or is it a gift of the gods?",
    );
    // Set when the message was posted: its first words.
    expect(context.conversation.title).toBe("Can virtue be taught, or is it a gift of the gods?");
    expect(wantsModelTitle(ai, context)).toBe(true);

    await titleAfterFirstReply(actor, context, result, model, ai);

    expect((await getConversation(actor, id)).conversation.title).toBe("Virtue as Knowledge");
    expect(server.requests).toHaveLength(2);
    const titleRequest = server.requests[1]?.body as { stream?: boolean; messages: unknown[] };
    expect(titleRequest.stream).not.toBe(true);
    expect(JSON.stringify(titleRequest.messages)).toContain("Can virtue be taught");
  });

  it("keeps a title the owner chose meanwhile", async () => {
    const { actor, ai, model, context, result, id } = await firstExchange(
      { kind: "stream", chunks: ["Yes."], completion: "Model Title" },
      "Is the unexamined life worth living?",
    );
    await renameConversation(actor, id, "My own title");
    await titleAfterFirstReply(actor, context, result, model, ai);
    expect((await getConversation(actor, id)).conversation.title).toBe("My own title");
  });

  it("a failing model leaves the first-words title and throws nothing", async () => {
    const { actor, context, result, id } = await firstExchange(
      { kind: "stream", chunks: ["Hello."] },
      "Hello there, Socrates",
    );
    const failing = await remoteModel({ kind: "http-error", status: 500 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await titleAfterFirstReply(actor, context, result, failing.model, failing.ai);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("no model title"));
    expect((await getConversation(actor, id)).conversation.title).toBe("Hello there, Socrates");
  });

  it("is not asked for after the first exchange, or with the built-in engine", async () => {
    const { actor, ai, context, id } = await firstExchange(
      { kind: "stream", chunks: ["One."] },
      "First",
    );
    const second = await startReply(actor, id, { kind: "message", content: "Second" });
    expect(wantsModelTitle(ai, second)).toBe(false);
    const builtin: AiSettings = { ...ai, model: { kind: "builtin", delayMs: 0 } };
    expect(wantsModelTitle(builtin, context)).toBe(false);
  });
});
