// The built-in personas' replies: reads the user's last message and the conversation so far, then
// speaks through the persona's phrasebook (lib/ai/personas/<slug>.json). Pure and deterministic,
// so a conversation replays identically in demos and tests.

import lexicon from "./builtin-lexicon.json";
import captainNova from "./personas/captain-nova.json";
import chefRemy from "./personas/chef-remy.json";
import generic from "./personas/generic.json";
import socrates from "./personas/socrates.json";
import zenMasterKai from "./personas/zen-master-kai.json";
import type { ChatTurn } from "./reply-request";

/** Who speaks: the persona's slug picks the phrasebook, the name fills {name}. */
export type BuiltinPersona = { slug: string; name: string; greeting: string };

/** Broad subjects recognised in what the user writes (the keys of the lexicon's topics). */
export type Topic = keyof typeof lexicon.topics;

/**
 * One persona's phrasebook. Lines may use {focus} (a word the user wrote), {earlier} (a subject
 * from an earlier message), {name} and {turns} (how many messages the user has sent), and
 * Markdown; a line with a line break (a list) becomes its own paragraph. Topic lines do not use
 * {focus}: the word that revealed the topic may be a plural or a verb.
 */
export type Phrasebook = {
  /** First sentence, by what the message does. */
  open: Record<
    | "greeting"
    | "thanks"
    | "farewell"
    | "question"
    | "statement"
    | "low"
    | "high"
    | "short"
    | "long",
    string[]
  >;
  /** About a recognised subject. */
  topics: Partial<Record<Topic, string[]>>;
  /** Instead of the topic line when the user asks about that subject (Chef Rémy's recipes). */
  answers?: Partial<Record<Topic, string[]>>;
  /** About any other salient word, {focus}. */
  general: string[];
  /** Refers back to {earlier}. */
  callback: string[];
  /** Last sentence; `deep` replaces it now and then a few turns in. */
  close: string[];
  deep: string[];
  /** Last sentence after a greeting, and after a goodbye. */
  invite: string[];
  farewellClose: string[];
};

/** The persona slugs of supabase/migrations/20251101000100_default_personas.sql. */
const PHRASEBOOKS: Record<string, Phrasebook> = {
  socrates,
  "captain-nova": captainNova,
  "chef-remy": chefRemy,
  "zen-master-kai": zenMasterKai,
};
/** For any other persona: a friendly voice that speaks as {name}. */
const GENERIC: Phrasebook = generic;

type Intent = "greeting" | "thanks" | "farewell" | "question" | "statement";

export type MessageAnalysis = {
  intent: Intent;
  mood: "low" | "high" | "neutral";
  topic?: Topic;
  /** The word the reply talks about: the topic keyword, else the longest content word. */
  focus?: string;
  /** How to mention the subject later, from the persona's side ("my job" becomes "your job"). */
  mention?: string;
  wordCount: number;
};

const phrases = (list: string[], anchored: boolean) =>
  new RegExp(`${anchored ? "^" : "\\b"}(${list.join("|")})\\b`);
const GREETING = phrases(lexicon.greetings, true);
const THANKS = phrases(lexicon.thanks, false);
const FAREWELL = phrases(lexicon.farewells, false);
const QUESTION = phrases(lexicon.questionStarts, true);
const LOW = phrases(lexicon.lowMood, false);
const HIGH = phrases(lexicon.highMood, false);
const STOPWORDS = new Set(lexicon.stopwords);
const TOPIC_OF = new Map<string, Topic>(
  (Object.entries(lexicon.topics) as [Topic, string[]][]).flatMap(([topic, words]) =>
    words.map((word) => [word, topic] as const),
  ),
);
/** "my job" is "your job" from the persona's side. */
const DETERMINERS: Record<string, string> = lexicon.determiners;

function topicOf(word: string): Topic | undefined {
  const singular = word.endsWith("ies") ? `${word.slice(0, -3)}y` : word.replace(/([^s])s$/, "$1");
  return TOPIC_OF.get(word) ?? TOPIC_OF.get(singular);
}

/** Reads one user message: what it does (greets, thanks, asks...), its mood and its subject. */
export function analyzeMessage(text: string): MessageAnalysis {
  const normalized = text.toLowerCase().trim();
  // Tokens such as "#fail-once" are instructions to test tooling, not part of the conversation.
  const words = normalized.replace(/#\S+/g, " ").match(/[a-zà-ÿ][a-zà-ÿ'-]*/g) ?? [];
  const wordCount = words.length;
  const asks = normalized.includes("?");

  let intent: Intent = asks || QUESTION.test(normalized) ? "question" : "statement";
  if (GREETING.test(normalized) && wordCount <= 5 && !asks) intent = "greeting";
  else if (THANKS.test(normalized) && wordCount <= 12) intent = "thanks";
  else if (FAREWELL.test(normalized) && wordCount <= 12) intent = "farewell";
  const mood = LOW.test(normalized) ? "low" : HIGH.test(normalized) ? "high" : "neutral";

  const at = words.findIndex((word) => topicOf(word) !== undefined);
  const focus = at >= 0 ? words[at] : undefined;
  if (focus) {
    const determiner = DETERMINERS[words[at - 1] ?? ""];
    const mention = determiner ? `${determiner} ${focus}` : focus;
    return { intent, mood, topic: topicOf(focus), focus, mention, wordCount };
  }
  // The longest content word is a cheap but decent guess at what the message is about.
  const content = words.filter((word) => word.length >= 4 && !STOPWORDS.has(word));
  const longest = content.reduce<string | undefined>(
    (a, b) => (b.length > (a?.length ?? 0) ? b : a),
    undefined,
  );
  return { intent, mood, focus: longest, mention: longest && `"${longest}"`, wordCount };
}

/** FNV-1a: a small, stable string hash, so the choice of lines is deterministic. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type Slots = { focus?: string; earlier?: string; name: string; turns: number };

function fill(line: string, slots: Slots): string {
  const filled = line.replace(/\{(focus|earlier|name|turns)\}/g, (_, key: keyof Slots) =>
    String(slots[key] ?? ""),
  );
  // Capitalise the first letter, also behind a quote or Markdown emphasis ("**Entanglement**").
  return filled.replace(
    /^(["'*\s]*)([a-zà-ÿ])/,
    (_, lead: string, c: string) => lead + c.toUpperCase(),
  );
}

type SmallTalk = "greeting" | "thanks" | "farewell";
const isSmallTalk = (intent: Intent): intent is SmallTalk =>
  intent === "greeting" || intent === "thanks" || intent === "farewell";

/** The most recent earlier subject that differs from the current one and was not just mentioned. */
function earlierSubject(userTurns: ChatTurn[], now: MessageAnalysis, previousReply: string) {
  for (const turn of userTurns.slice(0, -1).reverse()) {
    const past = analyzeMessage(turn.content);
    if (isSmallTalk(past.intent) || !past.mention || past.focus === now.focus) continue;
    if (past.topic && past.topic === now.topic) continue;
    if (!previousReply.includes(past.mention)) return past.mention;
  }
  return undefined;
}

function openers(book: Phrasebook, analysis: MessageAnalysis): string[] {
  const { open } = book;
  if (isSmallTalk(analysis.intent)) return open[analysis.intent];
  if (analysis.mood !== "neutral") return open[analysis.mood];
  if (analysis.intent === "question") return open.question;
  if (analysis.wordCount <= 3) return open.short;
  return analysis.wordCount >= 40 ? open.long : open.statement;
}

/**
 * The whole reply to the last user message of `history`, in the persona's voice: an opener that
 * reacts to what the message does, a sentence (or a recipe) about its subject, now and then a
 * callback to something said earlier, and a closing line.
 */
export function composeBuiltinReply(persona: BuiltinPersona, history: ChatTurn[]): string {
  const userTurns = history.filter((turn) => turn.role === "user");
  const last = userTurns.at(-1);
  if (!last) return persona.greeting;

  const book = PHRASEBOOKS[persona.slug] ?? GENERIC;
  const analysis = analyzeMessage(last.content);
  const { topic, intent, focus } = analysis;
  const smallTalk = isSmallTalk(intent);
  const previousReply = history.findLast((turn) => turn.role === "assistant")?.content ?? "";
  const turns = userTurns.length;
  const seed = [persona.slug, ...history.map((turn) => `${turn.role}:${turn.content}`)].join(
    "\u0001",
  );
  const earlier = earlierSubject(userTurns, analysis, previousReply);
  const slots: Slots = { focus, earlier, name: persona.name, turns };
  const chance = (salt: string, oneIn: number) => hash(`${seed}\u0000${salt}`) % oneIn === 0;
  // One line per slot, picked by hashing the conversation; a line used in the previous reply is
  // skipped, so a user who repeats themselves still gets some variety.
  const choose = (all: string[] | undefined, salt: string) => {
    // Lines that name the user's word come first: the omelette recipe for an omelette.
    const naming = all?.filter((line) => focus && line.toLowerCase().includes(focus));
    const lines = naming?.length ? naming : all;
    if (!lines?.length) return [];
    const start = hash(`${seed}\u0000${salt}`);
    const filled = lines.map((_, i) => fill(lines[(start + i) % lines.length] ?? "", slots));
    return [filled.find((line) => !previousReply.includes(line)) ?? filled[0] ?? ""];
  };

  let middle = topic && !smallTalk ? book.topics[topic] : undefined;
  if (topic && intent === "question") middle = book.answers?.[topic] ?? middle;
  if (!middle && focus && !smallTalk) middle = book.general;
  const callback = earlier && !smallTalk && (turns >= 3 || chance("callback", 2));
  let close = book.close;
  if (intent === "farewell") close = book.farewellClose;
  else if (intent === "greeting") close = book.invite;
  else if (turns >= 4 && chance("deep", 3)) close = book.deep;

  const sentences = [
    ...choose(openers(book, analysis), "open"),
    ...choose(middle, "middle"),
    ...(callback ? choose(book.callback, "callback") : []),
    ...choose(close, "close"),
  ];
  // Lists and other multi-line blocks stand in paragraphs of their own.
  const isBlock = (i: number) => sentences[i]?.includes("\n") ?? false;
  return sentences
    .map((s, i) => (i === 0 ? s : `${isBlock(i - 1) || isBlock(i) ? "\n\n" : " "}${s}`))
    .join("");
}
