import { boundOf, VALUE_MAX_LENGTH, type DisplayOptions } from "./display-options.ts";
import { displayParts } from "./display-parts.ts";

/**
 * One code span around a run of text holding no backtick and no pipe. CommonMark strips one space
 * from each end of a code span whose content starts and ends with a space, so such content gets
 * one more space each side.
 */
function codeSpan(run: string): string {
  const padded = run.startsWith(" ") && run.endsWith(" ") && run.trim() !== "" ? ` ${run} ` : run;
  return `\`${padded}\``;
}

/**
 * A value as inline GitHub-flavoured markdown that renders as exactly its `displayText`, inert:
 * no link (autolinked URL, www. or email), no @mention or team ping, no #123 or commit reference,
 * no emoji, no heading, list, table, HTML element or entity, and nothing that starts a new line.
 *
 * How: the text goes into code spans, where GitHub renders none of those. A backtick or pipe is
 * never inside a span: each is written between spans as the escape `` \` `` or `\|`, so every span
 * is fenced by single backticks that no content can close early or turn into a code fence, and a
 * pipe cannot split a table cell. Safe in a paragraph, a list item and a table cell. The cut
 * marker and a name's note follow as plain text (they hold only digits, letters and "U+").
 * The empty value is "(empty)" in plain text (a code span cannot be empty).
 */
export function displayMarkdown(value: string, options?: DisplayOptions): string {
  const parts = displayParts(value, boundOf(options, VALUE_MAX_LENGTH), options?.name === true);
  if (parts.text === "" && parts.more === "") return `(empty)${parts.note}`;
  const pieces = parts.text.split(/([`|])/);
  const body = pieces
    .map((piece) =>
      piece === "`" || piece === "|" ? `\\${piece}` : piece === "" ? "" : codeSpan(piece),
    )
    .join("");
  return body + parts.more + parts.note;
}
