import { displayText } from "./display-text.ts";
import type { DisplayOptions } from "./display-options.ts";

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * A value as HTML text (element content or a quoted attribute value) that a browser shows as
 * exactly its `displayText`: no tag, entity, comment or attribute break survives. Browsers do not
 * autolink, so URLs and mentions need nothing more. Do not put it in a URL, a script or a style.
 */
export function displayHtml(value: string, options?: DisplayOptions): string {
  return displayText(value, options).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
