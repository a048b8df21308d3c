// The Markdown export's formatting (lib/chat/export.ts): the document's parts, escaping of the
// visitor's text (checked by parsing the result with the same Markdown parser the app renders
// replies with), stopped replies, unclosed fences and the file name.

// The parser under remark-gfm, which the app's Markdown renderer (streamdown) uses: GFM too.
import { fromMarkdown as parse } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import {
  closeOpenFence,
  conversationToMarkdown,
  escapeMarkdownText,
  exportFileName,
  formatUtc,
  slugify,
} from "./export";
import type { Conversation, Message } from "./types";

const conversation: Conversation = {
  id: "11111111-1111-4111-8111-111111111111",
  personaId: "22222222-2222-4222-8222-222222222222",
  title: "The unexamined life",
  status: "active",
  isGuestSession: false,
  createdAt: "2026-12-01T09:05:00.000Z",
  updatedAt: "2026-12-01T09:20:30.000Z",
  endedAt: null,
};

let counter = 0;
function message(role: Message["role"], content: string, extra: Partial<Message> = {}): Message {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    role,
    content,
    audioUrl: null,
    stopped: false,
    createdAt: `2026-12-01T09:${String(10 + counter).padStart(2, "0")}:00.000Z`,
    ...extra,
  };
}

function fromMarkdown(markdown: string) {
  return parse(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The node types of a Markdown document's top level. */
function blockTypes(markdown: string): string[] {
  return fromMarkdown(markdown).children.map((node) => node.type);
}

/** The text a Markdown document shows, joined. */
function shownText(markdown: string): string {
  const out: string[] = [];
  const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
    if (node.type === "text" && node.value !== undefined) out.push(node.value);
    if (node.type === "break") out.push("\n");
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(fromMarkdown(markdown) as never);
  return out.join("");
}

describe("conversationToMarkdown", () => {
  const exportedAt = new Date("2026-12-02T08:00:00.000Z");

  it("has the title, persona, dates and each message under its speaker, in order", () => {
    const messages = [
      message("user", "What is virtue?"),
      message("assistant", "Let us **examine** it:\n\n1. Courage\n2. Wisdom"),
      message("user", "And justice?", { audioUrl: "/api/x/audio" }),
      message("assistant", "Half of an answer", { stopped: true }),
    ];
    const markdown = conversationToMarkdown(
      { conversation, personaName: "Socrates", messages },
      exportedAt,
    );
    expect(markdown.startsWith("# The unexamined life\n\n")).toBe(true);
    expect(markdown).toContain("- Persona: Socrates\n");
    expect(markdown).toContain("- Started: 2026-12-01 09:05 UTC\n");
    expect(markdown).toContain("- Last activity: 2026-12-01 09:20 UTC\n");
    expect(markdown).toContain("- Messages: 4\n");
    expect(markdown).toContain("- Exported: 2026-12-02 08:00 UTC");
    expect(markdown).not.toContain("- Ended:");

    const headings = fromMarkdown(markdown)
      .children.filter((node) => node.type === "heading")
      .map((node) => [
        node.depth,
        shownText(markdown.slice(node.position?.start.offset, node.position?.end.offset)),
      ]);
    expect(headings).toEqual([
      [1, "The unexamined life"],
      [2, `You · ${formatUtc(messages[0]?.createdAt ?? "")}`],
      [2, `Socrates · ${formatUtc(messages[1]?.createdAt ?? "")}`],
      [2, `You (voice message) · ${formatUtc(messages[2]?.createdAt ?? "")}`],
      [2, `Socrates (stopped) · ${formatUtc(messages[3]?.createdAt ?? "")}`],
    ]);
    // The reply's own Markdown stays Markdown.
    expect(markdown).toContain("Let us **examine** it:\n\n1. Courage\n2. Wisdom");
    expect(blockTypes(markdown)).toContain("list");
    expect(markdown.endsWith("Half of an answer\n")).toBe(true);
  });

  it("falls back to the persona's name without a title, and says when it ended", () => {
    const ended = { ...conversation, title: null, endedAt: "2026-12-01T10:00:00.000Z" };
    const markdown = conversationToMarkdown(
      { conversation: ended, personaName: "Captain Nova", messages: [] },
      exportedAt,
    );
    expect(markdown).toContain("# Conversation with Captain Nova\n");
    expect(markdown).toContain("- Ended: 2026-12-01 10:00 UTC\n");
    expect(markdown).toContain("- Messages: 0\n");
    expect(markdown).toContain("*No messages yet.*");
    const gone = conversationToMarkdown({ conversation: ended, personaName: null, messages: [] });
    expect(gone).toContain("# Conversation with Persona\n");
  });

  it("marks an empty stopped reply instead of leaving an empty section", () => {
    const markdown = conversationToMarkdown({
      conversation,
      personaName: "Socrates",
      messages: [message("user", "Hi"), message("assistant", "", { stopped: true })],
    });
    expect(markdown).toMatch(/## Socrates \(stopped\) · .*\n\n\*\(stopped before any text\)\*\n$/);
  });

  it("keeps the visitor's Markdown-looking text as text: no headings, lists, code or links", () => {
    const tricky = [
      "# not a heading",
      "> not a quote",
      "- not a list",
      "1. not ordered",
      "    not code",
      "```js",
      "**not bold** _nor this_ `nor code` [nor](http://a.link) <b>nor html</b> &amp; | a | b |",
      "---",
    ].join("\n");
    const markdown = conversationToMarkdown({
      conversation: { ...conversation, title: "## Title *with* stars" },
      personaName: "Socrates",
      messages: [message("user", tricky)],
    });
    const types = blockTypes(markdown);
    // The title, the facts list, the message heading and one paragraph: nothing else.
    expect(types).toEqual(["heading", "list", "heading", "paragraph"]);
    const paragraph = markdown.split("\n\n").at(-1) ?? "";
    expect(shownText(paragraph).trim()).toBe(
      tricky
        .split("\n")
        .map((line) => line.trim())
        .join("\n"),
    );
    expect(shownText(markdown.split("\n")[0] ?? "")).toBe("## Title *with* stars");
  });

  it("closes a code fence a reply left open, so it does not swallow what follows", () => {
    const markdown = conversationToMarkdown({
      conversation,
      personaName: "Socrates",
      messages: [message("assistant", "```python\nprint('hi')"), message("user", "Thanks")],
    });
    const types = blockTypes(markdown);
    expect(types.slice(-3)).toEqual(["code", "heading", "paragraph"]);
  });
});

describe("escapeMarkdownText", () => {
  it("keeps line breaks and paragraphs, and leaves plain text alone", () => {
    expect(escapeMarkdownText("Hello there, friend.")).toBe("Hello there, friend.");
    expect(escapeMarkdownText("one\ntwo\n\n\n\nthree")).toBe("one\\\ntwo\n\nthree");
    expect(shownText(escapeMarkdownText("one\r\ntwo"))).toBe("one\ntwo");
    expect(escapeMarkdownText("Tom & Jerry")).toBe("Tom & Jerry");
    expect(escapeMarkdownText("2 * 3 = 6")).toBe("2 \\* 3 = 6");
  });
});

describe("closeOpenFence", () => {
  it("adds the closing fence only when one is open", () => {
    expect(closeOpenFence("```\ncode\n```")).toBe("```\ncode\n```");
    expect(closeOpenFence("~~~~\ncode\n~~~")).toBe("~~~~\ncode\n~~~\n~~~~");
    expect(closeOpenFence("text")).toBe("text");
  });
});

describe("exportFileName", () => {
  it("is the slug of the title, else of the persona, and the day it started", () => {
    expect(exportFileName(conversation, "Socrates")).toBe("the-unexamined-life-2026-12-01.md");
    expect(exportFileName({ ...conversation, title: null }, "Chef Rémy")).toBe(
      "chef-remy-2026-12-01.md",
    );
    expect(exportFileName({ ...conversation, title: "日本語" }, null)).toBe(
      "conversation-2026-12-01.md",
    );
    expect(exportFileName({ ...conversation, title: "Plato’s cave, isn't it?" }, null)).toBe(
      "platos-cave-isnt-it-2026-12-01.md",
    );
    expect(exportFileName({ ...conversation, title: `"quoted"; x=1` }, null)).toBe(
      "quoted-x-1-2026-12-01.md",
    );
  });

  it("slugify keeps at most 60 characters and no trailing hyphen", () => {
    const slug = slugify(`${"word ".repeat(30)}`);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug.endsWith("-")).toBe(false);
    expect(slug.startsWith("word-word")).toBe(true);
  });
});
