// The composer and the API count a message the same way: what messageLength (the composer's
// count) allows, the route's schema accepts, and the reverse, emoji-heavy messages included.

import { describe, expect, it } from "vitest";
import { postMessageBody } from "@/app/api/conversations/[id]/messages/schema";
import { MAX_MESSAGE_CHARS, messageLength } from "./limits";

/** What the composer decides for this text: may it be sent? */
const composerAllows = (text: string) => {
  const length = messageLength(text);
  return length > 0 && length <= MAX_MESSAGE_CHARS;
};
const serverAccepts = (text: string) => postMessageBody.safeParse({ content: text }).success;

// "😀" is one code point and two UTF-16 units; "👍🏽" is two code points (a modifier), four units.
const EMOJI = "😀";

describe("message length", () => {
  it("counts code points after trimming, as Postgres' char_length does", () => {
    expect(messageLength("")).toBe(0);
    expect(messageLength(" \n\t\u00a0\u3000\ufeff")).toBe(0);
    expect(messageLength("  hello  ")).toBe(5);
    expect(EMOJI.length).toBe(2);
    expect(messageLength(EMOJI)).toBe(1);
    expect(messageLength("👍🏽")).toBe(2);
    expect(messageLength(` ${EMOJI.repeat(4000)}\n`)).toBe(4000);
  });

  const cases: [string, string, boolean][] = [
    ["4000 emoji (8000 UTF-16 units)", EMOJI.repeat(MAX_MESSAGE_CHARS), true],
    ["4001 emoji", EMOJI.repeat(MAX_MESSAGE_CHARS + 1), false],
    ["4000 emoji with padding", `  ${EMOJI.repeat(MAX_MESSAGE_CHARS)}\n`, true],
    ["3999 letters and an emoji", `${"a".repeat(MAX_MESSAGE_CHARS - 1)}${EMOJI}`, true],
    ["4000 letters and an emoji", `${"a".repeat(MAX_MESSAGE_CHARS)}${EMOJI}`, false],
    ["2000 skin-tone thumbs (4000 code points)", "👍🏽".repeat(MAX_MESSAGE_CHARS / 2), true],
    ["2000 skin-tone thumbs and a letter", `${"👍🏽".repeat(MAX_MESSAGE_CHARS / 2)}a`, false],
    ["4000 letters", "x".repeat(MAX_MESSAGE_CHARS), true],
    ["4001 letters", "x".repeat(MAX_MESSAGE_CHARS + 1), false],
    ["only spaces", " \u00a0 \n", false],
    ["empty", "", false],
  ];
  for (const [label, text, allowed] of cases) {
    it(`${label}: the composer ${allowed ? "allows" : "refuses"} it and so does the API`, () => {
      expect(composerAllows(text)).toBe(allowed);
      expect(serverAccepts(text)).toBe(allowed);
    });
  }

  it("the API saves the message trimmed, at full length in code points", () => {
    const parsed = postMessageBody.parse({ content: ` ${EMOJI.repeat(MAX_MESSAGE_CHARS)} ` });
    expect(parsed.content).toBe(EMOJI.repeat(MAX_MESSAGE_CHARS));
  });
});
