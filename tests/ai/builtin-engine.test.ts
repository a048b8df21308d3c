// The built-in offline persona engine: voice, determinism, awareness of input and history, streaming.

import { describe, expect, it } from "vitest";
import {
  builtinDelayFromEnv,
  createBuiltinEngine,
  toWordChunks,
} from "../../lib/ai/builtin-engine";
import { analyzeMessage, composeBuiltinReply } from "../../lib/ai/builtin-reply";
import { type ChatTurn, type PersonaForReply, ReplyEngineError } from "../../lib/ai/types";

const persona = (slug: string, name = slug): PersonaForReply => ({
  slug,
  name,
  systemPrompt: `You are ${name}.`,
  greeting: `Hello, I am ${name}.`,
});

const socrates = persona("socrates", "Socrates");
const defaultPersonas = [
  socrates,
  persona("captain-nova", "Captain Nova"),
  persona("chef-remy", "Chef Rémy"),
  persona("zen-master-kai", "Zen Master Kai"),
];

const user = (content: string): ChatTurn => ({ role: "user", content });
const assistant = (content: string): ChatTurn => ({ role: "assistant", content });

const engine = createBuiltinEngine({ delayMs: 0 });

async function reply(p: PersonaForReply, history: ChatTurn[]): Promise<string> {
  let text = "";
  for await (const chunk of engine.streamReply({ persona: p, history })) text += chunk;
  return text;
}

function sentenceCount(text: string): number {
  return text.split(/(?<=[.!?])\s+/).filter(Boolean).length;
}

describe("built-in engine", () => {
  it("gives the same answer to the same conversation", async () => {
    const history = [assistant("Welcome!"), user("What is courage, really?")];
    const first = await reply(socrates, history);
    const second = await reply(socrates, [...history]);
    expect(second).toBe(first);
    expect(first).toBe(composeBuiltinReply(socrates, history));
  });

  it("answers the same message differently for each persona, each in its own voice", async () => {
    const history = [user("I burned my dinner tonight and I feel a bit sad.")];
    const replies = await Promise.all(
      [...defaultPersonas, persona("pirate-pete", "Pirate Pete")].map((p) => reply(p, history)),
    );
    expect(new Set(replies).size).toBe(replies.length);
    // Socrates answers with questions.
    expect(replies[0]).toMatch(/\?$/);
    expect(replies[0]?.split("?").length).toBeGreaterThan(2);
  });

  it("uses the persona's name in the fallback voice for unknown personas", async () => {
    const pete = persona("pirate-pete", "Pirate Pete");
    const greeting = await reply(pete, [user("Hello!")]);
    const farewell = await reply(pete, [user("Hello!"), assistant(greeting), user("Thanks, bye!")]);
    expect(`${greeting} ${farewell}`).toContain("Pirate Pete");
  });

  it("depends on what the user wrote", async () => {
    const texts = [
      "Hello!",
      "Thank you so much!",
      "Why do we dream at night?",
      "I just got promoted at work and I'm thrilled!",
      "My grandmother taught me to bake bread.",
      "Tell me about quantum entanglement",
      "ok",
    ];
    const replies = await Promise.all(texts.map((text) => reply(socrates, [user(text)])));
    expect(new Set(replies).size).toBe(texts.length);
    // A word the user chose finds its way into the answer when no known topic matches.
    expect(replies[5]).toContain("entanglement");
  });

  it("reads greetings, thanks, farewells, questions, mood and topics", () => {
    expect(analyzeMessage("Hey there!").intent).toBe("greeting");
    expect(analyzeMessage("Thanks a lot").intent).toBe("thanks");
    expect(analyzeMessage("Ok, bye for now").intent).toBe("farewell");
    expect(analyzeMessage("Is the universe infinite?")).toMatchObject({
      intent: "question",
      topic: "space",
    });
    expect(analyzeMessage("My boss is stressing me out, I'm exhausted")).toMatchObject({
      mood: "low",
      topic: "work",
    });
    expect(analyzeMessage("I love baking bread").topic).toBe("food");
    expect(analyzeMessage("Tell me about photosynthesis")).toMatchObject({
      intent: "question",
      focus: "photosynthesis",
    });
  });

  it("depends on the conversation so far", async () => {
    const last = user("What should I do next?");
    const fresh = await reply(chefOf(), [last]);
    const later = await reply(chefOf(), [
      user("My sister visits tomorrow."),
      assistant("Lovely!"),
      last,
    ]);
    expect(later).not.toBe(fresh);
  });

  it("refers back to a subject the user raised earlier", async () => {
    const history = [
      user("I baked some bread this morning."),
      assistant("Wonderful."),
      user("Then I went to the office."),
      assistant("I see."),
      user("Now I keep wondering about philosophy."),
    ];
    const text = await reply(persona("captain-nova", "Captain Nova"), history);
    expect(text).toMatch(/the office|bread/);
  });

  it("counts the turns of a long conversation", async () => {
    const history: ChatTurn[] = [];
    const mentions: string[] = [];
    for (const text of [
      "Hi",
      "Tell me a story",
      "Go on",
      "And then?",
      "Really?",
      "Wow",
      "What else?",
      "Hmm",
      "Ok",
    ]) {
      history.push(user(text));
      const answer = await reply(defaultPersonas[1] ?? socrates, history);
      history.push(assistant(answer));
      mentions.push(answer);
    }
    expect(mentions.some((answer) => /\b[4-9] (messages|transmissions)\b/i.test(answer))).toBe(
      true,
    );
  });

  it("does not echo the user's message back", async () => {
    const messages = [
      "I think the moon is made of cheese and nobody can convince me otherwise.",
      "Hello!",
      "What is the best way to learn the piano as an adult?",
    ];
    for (const p of defaultPersonas) {
      for (const text of messages) {
        const answer = await reply(p, [user(text)]);
        expect(answer.toLowerCase()).not.toContain(text.toLowerCase());
        expect(answer.length).toBeGreaterThan(10);
      }
    }
  });

  it("keeps replies short: two to four sentences", async () => {
    const messages = [
      "Hello!",
      "Why is the sky blue?",
      "I lost my job today.",
      "thanks",
      "Goodbye!",
      "Tell me about jazz and travel",
    ];
    for (const p of defaultPersonas) {
      const history: ChatTurn[] = [];
      for (const text of messages) {
        history.push(user(text));
        const answer = await reply(p, history);
        history.push(assistant(answer));
        expect(sentenceCount(answer)).toBeGreaterThanOrEqual(2);
        expect(answer.split(/\s+/).length).toBeLessThanOrEqual(70);
        // Zen Master Kai speaks in short fragments ("Chop wood, carry water. Work is the same."),
        // so for that voice only the length is bounded.
        if (p.slug !== "zen-master-kai") expect(sentenceCount(answer)).toBeLessThanOrEqual(4);
      }
    }
  });

  it("answers with the persona's greeting when there is no user message yet", async () => {
    expect(await reply(socrates, [])).toBe(socrates.greeting);
  });

  it("streams word-sized chunks that add up to the reply", async () => {
    const history = [user("Why do stars twinkle?")];
    const chunks: string[] = [];
    for await (const chunk of engine.streamReply({ persona: socrates, history }))
      chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.trim()).not.toMatch(/\s/);
    expect(chunks.join("")).toBe(composeBuiltinReply(socrates, history));
    expect(toWordChunks("a  b c").join("")).toBe("a  b c");
  });

  it("paces the stream with a delay per chunk", async () => {
    const slow = createBuiltinEngine({ delayMs: 10 });
    const startedAt = performance.now();
    let count = 0;
    for await (const _chunk of slow.streamReply({ persona: socrates, history: [user("Hello!")] }))
      count += 1;
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(count * 10 - 5);
  });

  it("stops promptly with 'aborted' when the client leaves", async () => {
    const slow = createBuiltinEngine({ delayMs: 200 });
    const client = new AbortController();
    const received: string[] = [];
    const startedAt = performance.now();
    let failure: unknown;
    try {
      for await (const chunk of slow.streamReply({
        persona: socrates,
        history: [user("What is justice?")],
        signal: client.signal,
      })) {
        received.push(chunk);
        setTimeout(() => client.abort(), 20);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ReplyEngineError);
    expect((failure as ReplyEngineError).reason).toBe("aborted");
    expect(received).toHaveLength(1);
    // One chunk (200 ms) plus the abort 20 ms later; far less than the whole reply would take.
    expect(performance.now() - startedAt).toBeLessThan(600);
  });

  it("fails at once when the signal is already aborted", async () => {
    const client = new AbortController();
    client.abort();
    const stream = engine.streamReply({
      persona: socrates,
      history: [user("Hi")],
      signal: client.signal,
    });
    await expect(async () => {
      for await (const _chunk of stream) {
        // never reached
      }
    }).rejects.toMatchObject({ reason: "aborted" });
  });

  it("reads its delay from BUILTIN_ENGINE_DELAY_MS, where 0 is allowed", () => {
    expect(builtinDelayFromEnv({ BUILTIN_ENGINE_DELAY_MS: "0" })).toBe(0);
    expect(builtinDelayFromEnv({ BUILTIN_ENGINE_DELAY_MS: "40" })).toBe(40);
    expect(builtinDelayFromEnv({ BUILTIN_ENGINE_DELAY_MS: "soon" })).toBeUndefined();
    expect(builtinDelayFromEnv({})).toBeUndefined();
  });
});

function chefOf(): PersonaForReply {
  return persona("chef-remy", "Chef Rémy");
}
