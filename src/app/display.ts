/**
 * Showing CSR- and person-derived strings inert in PR comments, check runs, Events and condition
 * messages: the project's display module (src/core/display, docs/display.md) with the bounds the
 * app uses. Every such string in src/app goes through here.
 */
import { displayMarkdown as coreMarkdown, displayText as coreText } from "../core/display/index.ts";

/** One line, controls and hidden characters shown as escapes, at most `max` characters. */
export function displayText(value: string, max = 200): string {
  return coreText(value, { maxLength: max });
}

/** Inline markdown that renders as the text: no link, mention, reference, emoji or HTML. */
export function displayMarkdown(value: string, max = 200): string {
  return coreMarkdown(value, { maxLength: max });
}
