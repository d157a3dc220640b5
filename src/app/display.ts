/**
 * Showing CSR- and person-derived strings inert in PR comments, check runs, Events and condition
 * messages. A stand-in until the project's display module (src/core/display) is on main: then
 * these two functions delegate to it. Every such string in src/app goes through here.
 */

const CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One line, no control or bidi characters, at most `max` characters. */
export function displayText(value: string, max = 200): string {
  const flat = value.replace(CONTROL, " ").replace(/ {2,}/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * Inline markdown that renders as the text, inert: inside code spans GitHub renders no link,
 * mention, reference, emoji or HTML; backticks and pipes are written escaped between spans.
 */
export function displayMarkdown(value: string, max = 200): string {
  const text = displayText(value, max);
  if (text === "") return "(empty)";
  return text
    .split(/([`|])/)
    .map((piece) => {
      if (piece === "`" || piece === "|") return `\\${piece}`;
      if (piece === "") return "";
      const padded = piece.startsWith(" ") && piece.endsWith(" ") ? ` ${piece} ` : piece;
      return `\`${padded}\``;
    })
    .join("");
}
