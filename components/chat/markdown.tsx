"use client";
// A persona's reply as Markdown, rendered while it streams: Streamdown closes half-finished
// syntax (an open `**`, a code fence without its end, a table's first row), so bold text, lists,
// tables and code blocks show as such from their first characters. GitHub-flavoured Markdown,
// no raw HTML (shown as text), links only to http(s) and mailto, opened in a new tab.

import type { ComponentProps } from "react";
import {
  type Components,
  type ControlsConfig,
  defaultRehypePlugins,
  defaultRemarkPlugins,
  type ExtraProps,
  type LinkSafetyConfig,
  Streamdown,
  type StreamdownTranslations,
} from "streamdown";
import { remarkHtmlAsText, safeHref, safeUrlTransform } from "./markdown-safety";

// Streamdown's own remark plugins (GFM, code-fence metadata) plus ours. Of its rehype plugins
// only the sanitizer (GitHub's schema, which drops javascript: and other unsafe hrefs): not `raw`,
// which would parse HTML, nor `harden`, whose "[blocked]" markers MarkdownLink replaces with the
// link's plain words.
const REMARK_PLUGINS = [...Object.values(defaultRemarkPlugins), remarkHtmlAsText];
const REHYPE_PLUGINS = [defaultRehypePlugins.sanitize].filter((plugin) => plugin !== undefined);

// A copy button on code blocks; no downloads, table menus or diagrams.
const CONTROLS: ControlsConfig = {
  code: { copy: true, download: false },
  table: false,
  mermaid: false,
  image: false,
};

// Links open in a new tab straight away (with rel=noopener): no interstitial dialog.
const LINK_SAFETY: LinkSafetyConfig = { enabled: false };

const TRANSLATIONS: Partial<StreamdownTranslations> = { copyCode: "Copy code", copied: "Copied" };

function MarkdownLink({ href, children, node: _node, ...rest }: ComponentProps<"a"> & ExtraProps) {
  const safe = safeHref(href);
  if (!safe) {
    // javascript:, data:, relative and half-streamed links: the words, not a link.
    return <span data-blocked-link="">{children}</span>;
  }
  return (
    <a
      {...rest}
      href={safe}
      target="_blank"
      rel="noopener noreferrer"
      className="break-words font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800 dark:text-brand-300 dark:hover:text-brand-200"
    >
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}

/** Images are not loaded (they could track the reader): a link to them, or their description. */
function MarkdownImage({ src, alt }: ComponentProps<"img"> & ExtraProps) {
  const label = alt?.trim() ? `Image: ${alt.trim()}` : "Image";
  const safe = safeHref(src);
  if (!safe) return <span className="italic">[{label}]</span>;
  return (
    <a
      href={safe}
      target="_blank"
      rel="noopener noreferrer"
      className="font-medium text-brand-700 italic underline underline-offset-2 dark:text-brand-300"
    >
      [{label}]<span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}

/** Bold as <strong> (Streamdown's own is a styled span), so it means emphasis to assistive tech too. */
function MarkdownStrong({ children, node: _node, ...rest }: ComponentProps<"strong"> & ExtraProps) {
  return (
    <strong {...rest} className="font-semibold">
      {children}
    </strong>
  );
}

const COMPONENTS: Components = { a: MarkdownLink, img: MarkdownImage, strong: MarkdownStrong };

// Headings sized for a chat bubble, not a document; list items with a hanging indent, so a
// wrapped line starts under the text rather than under its number.
const PROSE =
  "space-y-3 break-words [&_h1]:mt-4 [&_h1]:text-xl [&_h2]:mt-4 [&_h2]:text-lg [&_h3]:mt-3 [&_h3]:text-base [&_h4]:text-base [&_h5]:text-sm [&_h6]:text-sm [&_ol]:list-outside [&_ol]:pl-6 [&_ul]:list-outside [&_ul]:pl-5";

export function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Streamdown
      mode="streaming"
      isAnimating={streaming}
      // Once the reply is complete it is rendered exactly as written.
      parseIncompleteMarkdown={streaming}
      caret={streaming ? "block" : undefined}
      controls={CONTROLS}
      linkSafety={LINK_SAFETY}
      lineNumbers={false}
      remarkPlugins={REMARK_PLUGINS}
      rehypePlugins={REHYPE_PLUGINS}
      urlTransform={safeUrlTransform}
      components={COMPONENTS}
      translations={TRANSLATIONS}
      className={PROSE}
    >
      {text}
    </Streamdown>
  );
}
