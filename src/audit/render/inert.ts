/**
 * Every CSR-derived string the audit shows a person passes through here: one local module until
 * the project's display functions (src/core/display) land, then this only forwards to them.
 * Controls, bidi and invisible characters become visible escapes, values are capped, and the
 * HTML and markdown variants neutralise markup on top.
 */

const MAX = 300;

// C0, DEL, C1, bidi embeddings and isolates, marks, zero-width and other invisible characters.
const HIDDEN =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- exactly the characters made visible, one by one
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]/gu;

function escapeOne(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** One line of plain text that shows exactly what is there. */
export function inertText(value: string): string {
  const chars = Array.from(value);
  const kept = chars.length > MAX ? chars.slice(0, MAX).join("") : value;
  const shown = kept.replace(HIDDEN, escapeOne);
  return chars.length > MAX
    ? `${shown}… ${(chars.length - MAX).toLocaleString("en-US")} more characters`
    : shown;
}

const HTML: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** For HTML text and attribute values. */
export function inertHtml(value: string): string {
  return inertText(value).replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/** For a markdown table cell: markup, links, mentions and pipes do nothing. */
export function inertMarkdown(value: string): string {
  return inertText(value)
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/@/g, "@&#8203;")
    .replace(/:\/\//g, ":&#47;&#47;");
}
