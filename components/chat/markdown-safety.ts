// What a persona's Markdown may do: link only to http(s) and mailto addresses, and never inject
// HTML. A reply comes from a model, which can be talked into writing anything, so its HTML is
// shown as the text it is and every other link scheme (javascript:, data:, vbscript:...) is
// rendered as plain, unclickable text.

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL to link to, normalised by the URL parser (which also strips the tabs and newlines that
 * `java\tscript:` tricks rely on), or null when it is not an absolute http(s) or mailto URL.
 */
export function safeHref(href: unknown): string | null {
  if (typeof href !== "string") return null;
  const trimmed = href.trim();
  if (trimmed === "") return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    // Relative and malformed references: a reply has nothing to link to inside the app.
    return null;
  }
  return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** For the renderer's urlTransform: links and image sources go through safeHref, nothing else. */
export function safeUrlTransform(url: string, key: string): string | null {
  return key === "href" || key === "src" ? safeHref(url) : null;
}

/** The slice of the Markdown syntax tree (mdast) this plugin reads. */
type MdNode = { type: string; value?: string; children?: MdNode[] };

/** Where mdast allows block content: raw HTML there becomes a paragraph of text. */
const FLOW_PARENTS = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);

function htmlAsText(node: MdNode): void {
  if (!node.children) return;
  node.children = node.children.map((child) => {
    if (child.type !== "html") {
      htmlAsText(child);
      return child;
    }
    const text: MdNode = { type: "text", value: child.value ?? "" };
    return FLOW_PARENTS.has(node.type) ? { type: "paragraph", children: [text] } : text;
  });
}

/**
 * A remark plugin: every raw HTML node (`<script>`, `<img onerror>`, a comment) becomes a text
 * node before the tree turns into HTML, so it is displayed, never parsed by the browser.
 */
export function remarkHtmlAsText() {
  return (tree: MdNode) => htmlAsText(tree);
}
