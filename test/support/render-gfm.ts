/**
 * GitHub-flavoured markdown to HTML (micromark with the GFM extensions: tables, autolink
 * literals, strikethrough, task lists), and readers of the result, so tests can check that a
 * displayed value renders as literal text. GitHub additionally turns @mentions, #123, commit
 * SHAs and :emoji: in text (never in code) into links; `textOutsideCode` is how tests see those.
 */
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

export function renderGfm(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

const ENTITIES: Readonly<Record<string, string>> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** HTML text content with the entities micromark writes decoded. */
export function decodeHtmlText(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
}

/** Every tag name in the HTML, e.g. ["p", "code", "/code", "/p"]. */
export function tagsOf(html: string): string[] {
  return [...html.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1] ?? "");
}

/** The rendered text outside <code> elements (where GitHub would link mentions and references). */
export function textOutsideCode(html: string): string {
  return decodeHtmlText(html.replace(/<code>[^<]*<\/code>/g, "").replace(/<[^>]*>/g, ""));
}

/** The whole rendered text, tags removed and entities decoded. */
export function renderedText(html: string): string {
  return decodeHtmlText(html.replace(/<[^>]*>/g, ""));
}
