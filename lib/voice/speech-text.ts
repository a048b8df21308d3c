// What a reply is spoken as: its words without markdown marks, and bounded in length so that
// synthesis time and stored size are bounded. A longer reply is spoken up to its last whole
// sentence within the limit (never cut mid-word); the text on screen stays whole.

export type SpeechText = { text: string; truncated: boolean };

// A sentence ends with . ! ? or … (and any closing quotes or brackets), then a space or the end.
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s|$)/g;

/** Markdown the reply engines may write, reduced to the words a listener should hear. */
export function plainSpeech(text: string): string {
  return (
    text
      // Code blocks are not read out: a listener cannot follow them.
      .replace(/```[\s\S]*?(```|$)/g, " ")
      .replace(/`([^`]*)`/g, "$1")
      // [label](url) is read as its label; bare links are not read.
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/https?:\/\/\S+?(?=[.,;:!?)]*(\s|$))/g, "")
      // Headings, quotes and list bullets at the start of a line.
      .replace(/^[ \t]*(#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, "")
      // Emphasis marks (bold, italics, strike-through).
      .replace(/(\*{1,3}|_{1,3}|~~)(\S(?:[\s\S]*?\S)?)\1/g, "$2")
      .replace(/\s+/g, " ")
      // What a dropped link or code block leaves before a full stop.
      .replace(/ ([.,;:!?])/g, "$1")
      .trim()
  );
}

/** The spoken form of `text`, at most `maxChars` UTF-16 units long. */
export function speechText(text: string, maxChars: number): SpeechText {
  const plain = plainSpeech(text);
  if (plain.length <= maxChars) return { text: plain, truncated: false };

  const head = plain.slice(0, maxChars + 1);
  let cut = 0;
  for (const match of head.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (end <= maxChars) cut = end;
  }
  if (cut > 0) return { text: plain.slice(0, cut), truncated: true };

  // One sentence longer than the limit: up to its last whole word, with an ellipsis.
  const space = head.lastIndexOf(" ", maxChars - 1);
  const words = plain.slice(0, space > 0 ? space : maxChars - 1).trimEnd();
  return { text: `${words}…`, truncated: true };
}
