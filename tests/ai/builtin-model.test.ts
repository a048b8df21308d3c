// The built-in personas as an AI SDK model, through streamText: voice, determinism, awareness of
// input and history, Markdown where a persona would use it, word-by-word pacing, and the timeout
// and cancellation that streamText's own options give it.

import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { type AiSettings, createBuiltinModel, getReplyModel } from "@/lib/ai";
import { toWordChunks } from "@/lib/ai/builtin-model";
import { analyzeMessage, composeBuiltinReply } from "@/lib/ai/builtin-reply";
import { type ChatTurn, type PersonaForReply, replyPrompt } from "@/lib/ai/reply-request";
import { type ReplyOutcome, streamReply } from "@/lib/ai/stream-reply";

const persona = (slug: string, name = slug): PersonaForReply => ({
  slug,
  name,
  systemPrompt: `You are ${name}.`,
  greeting: `Hello, I am ${name}.`,
});

const socrates = persona("socrates", "Socrates");
const nova = persona("captain-nova", "Captain Nova");
const chef = persona("chef-remy", "Chef Rémy");
const defaultPersonas = [socrates, nova, chef, persona("zen-master-kai", "Master Kai")];

const user = (content: string): ChatTurn => ({ role: "user", content });
const assistant = (content: string): ChatTurn => ({ role: "assistant", content });

const settings = (delayMs = 0, timeoutMs = 10_000): AiSettings => ({
  model: { kind: "builtin", delayMs },
  timeoutMs,
  contextTokens: 4_000,
  faultInjection: false,
});

/** One reply through the app's streamText call; its outcome and the pieces as they streamed. */
async function run(
  p: PersonaForReply,
  history: ChatTurn[],
  options: {
    delayMs?: number;
    timeoutMs?: number;
    abortSignal?: AbortSignal;
    onDelta?: () => void;
  } = {},
) {
  const deltas: string[] = [];
  const outcome = await streamReply<ReplyOutcome>({
    model: getReplyModel(settings(options.delayMs, options.timeoutMs)),
    request: { persona: p, history, messageId: "m-1" },
    settings: settings(options.delayMs, options.timeoutMs),
    maxChars: 32_000,
    abortSignal: options.abortSignal,
    onDelta: (delta) => {
      deltas.push(delta);
      options.onDelta?.();
    },
    onEnd: async (end) => end,
  });
  return { outcome, deltas };
}

async function reply(p: PersonaForReply, history: ChatTurn[]): Promise<string> {
  const { outcome } = await run(p, history);
  if (!("text" in outcome)) throw outcome.failure;
  return outcome.text;
}

function sentenceCount(text: string): number {
  return text.split(/(?<=[.!?])\s+/).filter(Boolean).length;
}

describe("the built-in model", () => {
  it("is a plain AI SDK language model: streamText and generateText answer with the composed reply", async () => {
    const history = [user("What is courage, really?")];
    const call = replyPrompt({ persona: socrates, history, messageId: "m-1" }, 4_000);
    const model = createBuiltinModel({ delayMs: 0 });
    const streamed = streamText({ model, ...call });
    expect(await streamed.text).toBe(composeBuiltinReply(socrates, history));
    expect(await streamed.finishReason).toBe("stop");
    const generated = await generateText({ model, ...call });
    expect(generated.text).toBe(composeBuiltinReply(socrates, history));
  });

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
    const fresh = await reply(chef, [last]);
    const later = await reply(chef, [
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
    expect(await reply(nova, history)).toMatch(/the office|bread/);
  });

  it("counts the turns of a long conversation", async () => {
    const history: ChatTurn[] = [];
    const answers: string[] = [];
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
      const answer = await reply(nova, history);
      history.push(assistant(answer));
      answers.push(answer);
    }
    expect(answers.some((answer) => /\b[4-9] (messages|transmissions)\b/i.test(answer))).toBe(true);
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
        // Master Kai speaks in short fragments ("Chop wood, carry water. Work is the same."),
        // so for that voice only the length is bounded.
        if (p.slug !== "zen-master-kai") expect(sentenceCount(answer)).toBeLessThanOrEqual(4);
      }
    }
  });

  it("answers with the persona's greeting when there is no user message yet", () => {
    expect(composeBuiltinReply(socrates, [])).toBe(socrates.greeting);
  });

  it("gives Chef Rémy's recipe as a Markdown list with bold ingredients, in a paragraph of its own", async () => {
    const question = [user("How do I make an omelette?")];
    const recipe = await reply(chef, question);
    expect(recipe).toMatch(/\n\n(1\. |- )/);
    expect(recipe.match(/^(\d+\.|-) /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(recipe).toMatch(/\*\*[^*]+\*\*/);
    // The same question to a persona who does not cook is plain prose.
    expect(await reply(socrates, question)).not.toMatch(/^(\d+\.|-) /m);
    // A dish mentioned in passing gets a sentence, not a recipe.
    expect(await reply(chef, [user("I had an omelette for lunch.")])).not.toMatch(/^(\d+\.|-) /m);
  });

  it("streams word-sized pieces that add up to the reply", async () => {
    const history = [user("Why do stars twinkle?")];
    const { outcome, deltas } = await run(socrates, history);
    expect(deltas.length).toBeGreaterThan(5);
    for (const delta of deltas) expect(delta.trim()).not.toMatch(/\s/);
    expect(deltas.join("")).toBe(composeBuiltinReply(socrates, history));
    expect(outcome).toEqual({ text: deltas.join("") });
    expect(toWordChunks("a  b\n\n- c").join("")).toBe("a  b\n\n- c");
  });

  it("paces the stream with a delay per word", async () => {
    const startedAt = performance.now();
    const { deltas } = await run(socrates, [user("Hello!")], { delayMs: 10 });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(deltas.length * 10 - 5);
  });

  it("stops promptly with 'aborted' when the abort signal fires (the client left)", async () => {
    const client = new AbortController();
    const startedAt = performance.now();
    const { outcome, deltas } = await run(socrates, [user("What is justice?")], {
      delayMs: 200,
      abortSignal: client.signal,
      onDelta: () => setTimeout(() => client.abort(), 20),
    });
    expect("failure" in outcome && outcome.failure.reason).toBe("aborted");
    expect(deltas).toHaveLength(1);
    // Three pauses (stream start, text start, first word) plus the abort; far less than the whole reply.
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });

  it("fails at once with 'aborted' when the signal has already fired", async () => {
    const client = new AbortController();
    client.abort();
    const { outcome, deltas } = await run(socrates, [user("Hi")], { abortSignal: client.signal });
    expect("failure" in outcome && outcome.failure.reason).toBe("aborted");
    expect(deltas).toEqual([]);
  });

  it("fails with 'timeout' when the reply takes longer than the timeout setting", async () => {
    const startedAt = performance.now();
    const { outcome, deltas } = await run(socrates, [user("What is justice?")], {
      delayMs: 100,
      timeoutMs: 350,
    });
    expect("failure" in outcome && outcome.failure.reason).toBe("timeout");
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });
});
