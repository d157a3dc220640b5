/**
 * Every CSR-derived string the audit shows a person passes through here, to the project's one
 * display module (src/core/display, docs/display.md): control, bidi and invisible characters
 * become visible escapes, values are bounded, and the HTML and markdown variants are inert in
 * their context. This file only names the three uses the audit's renderers need.
 */
import { displayHtml, displayMarkdown, displayText } from "../../core/display/index.ts";

/** One line of plain text that shows exactly what is there. */
export function inertText(value: string): string {
  return displayText(value);
}

/** For HTML text and attribute values. */
export function inertHtml(value: string): string {
  return displayHtml(value);
}

/** For a markdown table cell: no markup, link, mention or pipe takes effect. */
export function inertMarkdown(value: string): string {
  return displayMarkdown(value);
}
