// Composes the built-in engine's reply: reads the user's message and the conversation so far,
// then speaks through the persona's phrasebook. Pure and deterministic, so a conversation replays
// identically in demos and tests.

import { type Topic, type Voice, voiceFor } from "./builtin-voices";
import type { ChatTurn, PersonaForReply } from "./types";

type Intent = "greeting" | "thanks" | "farewell" | "question" | "statement";
type Mood = "low" | "high" | "neutral";

export type MessageAnalysis = {
  intent: Intent;
  mood: Mood;
  /** The recognised subject, if any. */
  topic?: Topic;
  /** The word the reply should talk about: the topic keyword, else the most salient word. */
  focus?: string;
  /** How to mention the topic keyword later, e.g. "your job" for "my job"; set only with `topic`. */
  topicPhrase?: string;
  wordCount: number;
};

// Nouns and gerunds only, matched with an optional plural: the keyword may be quoted back in a
// callback ("earlier you spoke of bread"), where a noun always reads well.
const TOPIC_KEYWORDS: Record<Topic, readonly string[]> = {
  food: [
    "food",
    "cooking",
    "baking",
    "recipe",
    "meal",
    "dinner",
    "lunch",
    "breakfast",
    "bread",
    "cheese",
    "pasta",
    "soup",
    "pizza",
    "cake",
    "dessert",
    "chocolate",
    "wine",
    "coffee",
    "tea",
    "kitchen",
    "croissant",
    "sauce",
    "vegetable",
    "fruit",
    "restaurant",
  ],
  space: [
    "space",
    "star",
    "planet",
    "galaxy",
    "universe",
    "rocket",
    "moon",
    "mars",
    "astronaut",
    "nebula",
    "orbit",
    "cosmos",
    "spaceship",
    "telescope",
    "sky",
  ],
  work: [
    "work",
    "job",
    "career",
    "boss",
    "office",
    "project",
    "deadline",
    "meeting",
    "colleague",
    "coworker",
    "business",
    "startup",
    "interview",
    "promotion",
  ],
  love: [
    "romance",
    "relationship",
    "boyfriend",
    "girlfriend",
    "partner",
    "crush",
    "dating",
    "heartbreak",
    "marriage",
    "wedding",
    "husband",
    "wife",
  ],
  family: [
    "family",
    "mother",
    "father",
    "mom",
    "dad",
    "parent",
    "brother",
    "sister",
    "child",
    "kid",
    "son",
    "daughter",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
  ],
  sleep: ["sleep", "insomnia", "nap", "dream", "bedtime", "nightmare"],
  learning: [
    "learning",
    "school",
    "study",
    "studying",
    "exam",
    "test",
    "homework",
    "university",
    "college",
    "class",
    "teacher",
    "lesson",
    "book",
    "reading",
    "knowledge",
    "philosophy",
  ],
  health: ["health", "doctor", "exercise", "workout", "running", "gym", "illness", "diet", "body"],
  nature: [
    "nature",
    "tree",
    "forest",
    "mountain",
    "ocean",
    "sea",
    "river",
    "garden",
    "flower",
    "rain",
    "snow",
    "weather",
    "animal",
    "bird",
    "cat",
    "dog",
  ],
  music: ["music", "song", "guitar", "piano", "singing", "concert", "band", "melody", "album"],
  money: ["money", "salary", "rent", "debt", "budget", "savings", "wealth", "price", "bill"],
  technology: [
    "technology",
    "computer",
    "phone",
    "software",
    "code",
    "coding",
    "programming",
    "internet",
    "robot",
    "app",
    "ai",
  ],
  travel: ["travel", "trip", "journey", "vacation", "holiday", "flight", "voyage", "adventure"],
  meaning: ["meaning", "purpose", "life", "death", "truth", "wisdom", "justice", "virtue", "soul"],
  fear: ["fear", "anxiety", "worry", "panic", "nerves", "stress"],
  time: ["time", "future", "past", "tomorrow", "yesterday", "age", "birthday", "year"],
};

// "love" is a topic keyword only when nothing more specific was found: in "I love baking bread"
// the subject is the bread, not romance.
const WEAK_TOPIC_KEYWORDS: Record<string, Topic> = { love: "love" };

const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before " +
    "being below between both but by can could did do does doing done down during each even " +
    "ever every few for from further get gets getting got had has have having he her here hers " +
    "herself him himself his how i if in into is it its itself just let lets like maybe me might " +
    "more most much must my myself no nor not now of off often on once only or other our ours " +
    "ourselves out over own please pretty quite rather really same say says shall she should so " +
    "some something sometimes still such sure tell than that the their theirs them themselves " +
    "then there these they thing things think this those through to too under until up upon us " +
    "very want wanted was we well were what whatever when where whether which while who whom " +
    "why will with without would yes yeah you your yours yourself yourselves okay ok hi hello " +
    "hey thanks thank know kind sort lot lots going gonna wanna feel feeling today anything " +
    "everything nothing someone anyone everyone always never actually basically bye goodbye"
  ).split(" "),
);

const GREETING =
  /^(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening|day)|bonjour|salut|yo|ahoy)\b/;
const THANKS = /\b(thanks|thank you|thank u|thx|merci|cheers|much appreciated|i appreciate)\b/;
const FAREWELL =
  /\b(bye|goodbye|good night|goodnight|see you|see ya|farewell|au revoir|gotta go|talk later)\b/;
// Requests ("tell me about...", "explain...") want an answer just as questions do.
const QUESTION_START =
  /^(what|why|how|when|where|who|whom|which|can|could|should|would|is|are|am|do|does|did|will|may|shall|have|has|tell me|explain|describe|teach|help|give me|show me)\b/;
const LOW_MOOD =
  /\b(sad|tired|exhausted|stressed|anxious|worried|lonely|depressed|upset|angry|afraid|scared|overwhelmed|hurt|bored|lost|stuck|frustrated|awful|terrible|miserable|unhappy)\b/;
const HIGH_MOOD =
  /\b(happy|excited|great|awesome|amazing|wonderful|glad|thrilled|fantastic|yay|delighted|proud|celebrate|celebrating|won|love it)\b/;

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-zà-ÿ][a-zà-ÿ'-]*/g) ?? [];
}

function singular(word: string): string {
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("es") && /(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss") && word.length > 3) return word.slice(0, -1);
  return word;
}

const KEYWORD_TOPIC = new Map<string, Topic>();
for (const [topic, keywords] of Object.entries(TOPIC_KEYWORDS) as [Topic, readonly string[]][]) {
  for (const keyword of keywords) KEYWORD_TOPIC.set(keyword, topic);
}

function topicOf(word: string): Topic | undefined {
  return KEYWORD_TOPIC.get(word) ?? KEYWORD_TOPIC.get(singular(word));
}

/** Keeps the user's own determiner, seen from the persona's side: "my job" becomes "your job". */
function withDeterminer(word: string, previous: string | undefined): string {
  const swapped: Record<string, string> = {
    my: "your",
    our: "your",
    your: "my",
    the: "the",
    his: "his",
    her: "her",
    their: "their",
  };
  const determiner = previous ? swapped[previous] : undefined;
  return determiner ? `${determiner} ${word}` : word;
}

/** Reads one user message: what it does (greets, thanks, asks...), its mood and its subject. */
export function analyzeMessage(text: string): MessageAnalysis {
  const normalized = text.toLowerCase().trim();
  // Tokens such as "#fail-once" are instructions to test tooling, not part of the conversation.
  const words = wordsOf(normalized.replace(/#\S+/g, " "));
  const wordCount = words.length;
  const isQuestion = normalized.includes("?") || QUESTION_START.test(normalized);

  let intent: Intent = isQuestion ? "question" : "statement";
  if (GREETING.test(normalized) && wordCount <= 5 && !normalized.includes("?")) intent = "greeting";
  else if (THANKS.test(normalized) && wordCount <= 12) intent = "thanks";
  else if (FAREWELL.test(normalized) && wordCount <= 12) intent = "farewell";

  const mood: Mood = LOW_MOOD.test(normalized)
    ? "low"
    : HIGH_MOOD.test(normalized)
      ? "high"
      : "neutral";

  let topic: Topic | undefined;
  let focusIndex = words.findIndex((word) => topicOf(word) !== undefined);
  if (focusIndex >= 0) topic = topicOf(words[focusIndex] ?? "");
  else {
    focusIndex = words.findIndex((word) => WEAK_TOPIC_KEYWORDS[word] !== undefined);
    if (focusIndex >= 0) topic = WEAK_TOPIC_KEYWORDS[words[focusIndex] ?? ""];
  }
  let focus = topic ? words[focusIndex] : undefined;
  const topicPhrase = focus ? withDeterminer(focus, words[focusIndex - 1]) : undefined;
  if (!focus) {
    // The longest content word is a cheap but decent guess at what the message is about.
    for (const word of words) {
      if (word.length < 4 || STOPWORDS.has(word)) continue;
      if (!focus || word.length > focus.length) focus = word;
    }
  }
  return { intent, mood, topic, focus, topicPhrase, wordCount };
}

/** FNV-1a: a small, stable string hash, so template choice is deterministic without Math.random. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Slots = { focus?: string; earlier?: string; name: string; turns: number };

function fill(template: string, slots: Slots): string {
  const filled = template.replace(/\{(focus|earlier|name|turns)\}/g, (_, key: keyof Slots) =>
    String(slots[key] ?? ""),
  );
  // Capitalise the first letter even when the sentence opens with a quote or a placeholder.
  return filled.replace(
    /^(["'\s]*)([a-zà-ÿ])/,
    (_, lead: string, letter: string) => lead + letter.toUpperCase(),
  );
}

/**
 * Picks one line from a list by hashing the conversation with a per-slot salt. A line that the
 * persona used in its previous reply is skipped, so a user who repeats themselves still gets
 * some variety.
 */
function pick(
  lines: readonly string[],
  seed: string,
  salt: string,
  slots: Slots,
  previousReply: string,
): string {
  const start = hash(`${seed}\u0000${salt}`) % lines.length;
  let fallback: string | undefined;
  for (let offset = 0; offset < lines.length; offset++) {
    const line = fill(lines[(start + offset) % lines.length] ?? "", slots);
    fallback ??= line;
    if (!previousReply.includes(line)) return line;
  }
  return fallback ?? "";
}

/**
 * Finds the most recent earlier subject that differs from the current one and that the persona
 * did not just bring up in its previous reply, ready to drop into a sentence.
 */
function earlierSubject(
  previousUserTurns: readonly ChatTurn[],
  current: MessageAnalysis,
  previousReply: string,
): string | undefined {
  for (let i = previousUserTurns.length - 1; i >= 0; i--) {
    const past = analyzeMessage(previousUserTurns[i]?.content ?? "");
    if (past.intent === "greeting" || past.intent === "thanks" || past.intent === "farewell")
      continue;
    if (!past.focus || past.focus === current.focus) continue;
    if (past.topic && past.topic === current.topic) continue;
    // Topic keywords are nouns and read naturally unquoted; any other word is quoted.
    const mention = past.topicPhrase ?? `"${past.focus}"`;
    if (previousReply.includes(mention)) continue;
    return mention;
  }
  return undefined;
}

function lastAssistantContent(history: readonly ChatTurn[]): string {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role === "assistant") return turn.content;
  }
  return "";
}

function openerLines(voice: Voice, analysis: MessageAnalysis): string[] {
  const { open } = voice;
  switch (analysis.intent) {
    case "greeting":
      return open.greeting;
    case "thanks":
      return open.thanks;
    case "farewell":
      return open.farewell;
    default:
      break;
  }
  if (analysis.mood === "low") return open.low;
  if (analysis.mood === "high") return open.high;
  if (analysis.intent === "question") return open.question;
  if (analysis.wordCount <= 3) return open.short;
  if (analysis.wordCount >= 40) return open.long;
  return open.statement;
}

/**
 * The built-in engine's whole reply to the last message of `history`, in the persona's voice:
 * an opener that reacts to what the message does, a sentence about its subject, now and then a
 * callback to something said earlier, and a closing line. Usually 2 to 4 sentences.
 */
export function composeBuiltinReply(
  persona: PersonaForReply,
  history: readonly ChatTurn[],
): string {
  const userTurns = history.filter((turn) => turn.role === "user");
  const lastUser = userTurns[userTurns.length - 1];
  if (!lastUser) return persona.greeting;

  const voice = voiceFor(persona.slug);
  const analysis = analyzeMessage(lastUser.content);
  const previousReply = lastAssistantContent(history);
  const turns = userTurns.length;
  const seed = [persona.slug, ...history.map((turn) => `${turn.role}:${turn.content}`)].join(
    "\u0001",
  );
  const earlier = earlierSubject(userTurns.slice(0, -1), analysis, previousReply);
  const slots: Slots = { focus: analysis.focus, earlier, name: persona.name, turns };
  const choose = (lines: readonly string[], salt: string) =>
    pick(lines, seed, salt, slots, previousReply);

  const sentences = [choose(openerLines(voice, analysis), "open")];
  const isSmallTalk =
    analysis.intent === "greeting" ||
    analysis.intent === "thanks" ||
    analysis.intent === "farewell";

  if (!isSmallTalk) {
    const topicLines = analysis.topic ? voice.topics[analysis.topic] : undefined;
    if (topicLines && topicLines.length > 0) sentences.push(choose(topicLines, "topic"));
    else if (analysis.focus) sentences.push(choose(voice.general, "general"));
  }

  // Refer back from the third message on, or earlier when the hash says so, so callbacks feel
  // occasional rather than mechanical.
  const wantsCallback = turns >= 3 || hash(`${seed}\u0000callback`) % 2 === 0;
  if (earlier && wantsCallback && !isSmallTalk) sentences.push(choose(voice.callback, "callback"));

  if (analysis.intent === "farewell") sentences.push(choose(voice.farewellClose, "close"));
  else if (analysis.intent === "greeting") sentences.push(choose(voice.invite, "close"));
  else if (turns >= 4 && hash(`${seed}\u0000deep`) % 3 === 0)
    sentences.push(choose(voice.deep, "close"));
  else sentences.push(choose(voice.close, "close"));

  return sentences.join(" ");
}
