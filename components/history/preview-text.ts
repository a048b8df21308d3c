// A message as one line of plain text for the conversation list: replies are Markdown, and a
// preview reading "**3 eggs**" or "| Name | Role |" helps nobody.

const RULES: [RegExp, string][] = [
  [/```[^\n]*\n?/g, ""], // code fences (their code stays)
  [/^\s{0,3}#{1,6}\s+/gm, ""], // heading markers
  [/^\s*>\s?/gm, ""], // quote markers
  [/^\s*(?:[-*+]|\d+[.)])\s+/gm, ""], // list markers
  [/^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/gm, ""], // table separator rows
  [/\|/g, " "], // table cell borders
  [/!?\[([^\]]*)\]\([^)]*\)/g, "$1"], // links and images: their words
  [/(\*\*|__|~~)(.+?)\1/g, "$2"], // bold, strikethrough
  [/(^|[^\w*])[*_](\S(?:[^*_\n]*\S)?)[*_](?=[^\w*]|$)/g, "$1$2"], // emphasis
  [/`([^`]*)`/g, "$1"], // inline code
];

export function previewText(markdown: string): string {
  let text = markdown;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return text.replace(/\s+/g, " ").trim();
}
