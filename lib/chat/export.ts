// A conversation as a Markdown document (GET /api/conversations/{id}/export): its title, persona
// and dates, then every message under a "You" or persona-name heading. The visitor's messages
// are plain text, escaped so that nothing in them becomes Markdown structure; the persona's
// replies are Markdown already and go in as they are (an unclosed code fence is closed, so it
// cannot swallow the rest of the file). Pure functions: the route pages through the messages.

import type { Conversation, Message } from "./types";

export type ConversationExport = {
  conversation: Conversation;
  personaName: string | null;
  /** Every message, oldest first. */
  messages: Message[];
};

/** Used when the conversation's persona is gone. */
const UNKNOWN_PERSONA = "Persona";

/** "2026-12-01 11:18 UTC": the same whatever the server's locale and time zone. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Characters that can start or end inline Markdown (emphasis, code, links, HTML, tables). */
const INLINE_SPECIAL = /[\\`*_[\]<>~|]/g;

/** What makes a line a heading, quote, list item, setext underline or thematic break. */
const BLOCK_START = /^([#>+=-])/;
const ORDERED_ITEM = /^(\d{1,9})([.)])/;

/**
 * Plain text as Markdown that reads as the same text: Markdown's punctuation is backslash-escaped
 * where it could mean something, line breaks stay line breaks (a trailing backslash), blank
 * lines stay paragraph breaks, and leading indentation (a code block) is dropped.
 */
export function escapeMarkdownText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw
      .trim()
      .replace(INLINE_SPECIAL, "\\$&")
      // An entity reference (&amp;, &#169;) would be decoded; a lone & is left alone.
      .replace(/&(?=#?\w+;)/g, "\\&")
      .replace(BLOCK_START, "\\$1")
      .replace(ORDERED_ITEM, "$1\\$2");
    out.push(line);
  }
  // Hard breaks between the lines of one paragraph; none before or after a blank line.
  return out
    .map((line, i) => {
      const next = out[i + 1];
      return line !== "" && next !== undefined && next !== "" ? `${line}\\` : line;
    })
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A reply's Markdown, with a code fence it left open closed at its end. */
export function closeOpenFence(markdown: string): string {
  let open: { char: string; length: number } | null = null;
  for (const line of markdown.split("\n")) {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!fence?.[1]) continue;
    const marks = fence[1];
    const char = marks[0] as string;
    if (!open) {
      // A backtick fence's info string may not contain a backtick.
      if (char === "`" && fence[2]?.includes("`")) continue;
      open = { char, length: marks.length };
    } else if (char === open.char && marks.length >= open.length && !fence[2]?.trim()) {
      open = null;
    }
  }
  return open ? `${markdown}\n${open.char.repeat(open.length)}` : markdown;
}

/** A title or persona name inside a heading: one line, escaped. */
function inline(text: string): string {
  return escapeMarkdownText(text.replace(/\s+/g, " "));
}

function speaker(message: Message, personaName: string): string {
  if (message.role === "user") return "You";
  if (message.role === "system") return "Note";
  return personaName;
}

function body(message: Message): string {
  if (message.role === "assistant") {
    const text = message.content.trim();
    if (text) return closeOpenFence(text);
    return message.stopped ? "*(stopped before any text)*" : "*(no text)*";
  }
  const text = escapeMarkdownText(message.content);
  return text || "*(no text)*";
}

/** The whole document. `exportedAt` is when it was made (now by default). */
export function conversationToMarkdown(
  { conversation, personaName, messages }: ConversationExport,
  exportedAt: Date = new Date(),
): string {
  const persona = personaName ?? UNKNOWN_PERSONA;
  const title = conversation.title?.trim() || `Conversation with ${persona}`;
  const facts = [
    `- Persona: ${inline(persona)}`,
    `- Started: ${formatUtc(conversation.createdAt)}`,
    `- Last activity: ${formatUtc(conversation.updatedAt)}`,
    ...(conversation.endedAt ? [`- Ended: ${formatUtc(conversation.endedAt)}`] : []),
    `- Messages: ${messages.length}`,
    `- Exported: ${formatUtc(exportedAt.toISOString())}`,
  ];
  const parts = [`# ${inline(title)}`, facts.join("\n")];
  if (messages.length === 0) parts.push("*No messages yet.*");
  for (const message of messages) {
    const notes = [
      message.role === "user" && message.audioUrl ? " (voice message)" : "",
      message.role === "assistant" && message.stopped ? " (stopped)" : "",
    ].join("");
    parts.push(
      `## ${inline(speaker(message, persona))}${notes} · ${formatUtc(message.createdAt)}`,
      body(message),
    );
  }
  return `${parts.join("\n\n")}\n`;
}

/** Lowercase ASCII words joined by hyphens, at most `max` characters; "" when none are left. */
export function slugify(text: string, max = 60): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    // "Plato's cave" is plato-s-cave otherwise.
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, max).replace(/-+$/, "");
}

/**
 * The download's file name: the slug of the title (or of the persona's name), then the day the
 * conversation started, e.g. "the-unexamined-life-2026-12-01.md". Plain ASCII, so it needs no
 * quoting beyond the double quotes of Content-Disposition.
 */
export function exportFileName(conversation: Conversation, personaName: string | null): string {
  const slug =
    slugify(conversation.title ?? "") || slugify(personaName ?? "") || slugify("conversation");
  const day = Number.isNaN(new Date(conversation.createdAt).getTime())
    ? "undated"
    : new Date(conversation.createdAt).toISOString().slice(0, 10);
  return `${slug}-${day}.md`;
}
