/**
 * The one place this folder turns CSR-derived strings into text for PR titles, bodies, labels and
 * check runs. A small stand-in with the same names and meaning as src/core/display (plain text
 * one line, markdown as code spans, labels bounded to 50): when that module lands, this file
 * becomes a re-export of it and nothing else changes.
 */
const VALUE_MAX_LENGTH = 200;
const LABEL_MAX_LENGTH = 50;

export interface DisplayOptions {
  readonly maxLength?: number;
  readonly name?: boolean;
}

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Controls, format characters (bidi, zero-width), separators and private/unassigned code points. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  if (char === "\\") return "\\\\";
  if (!HIDDEN.test(char)) return char;
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

const lengthOf = (text: string): number => Array.from(text).length;

/** The escaped value, cut with "… N more characters" so the whole is at most `maxLength`. */
function bounded(value: string, maxLength: number): string {
  const chars = Array.from(value);
  const escaped = chars.map(escapeChar);
  if (lengthOf(escaped.join("")) <= maxLength) return escaped.join("");
  let out = "";
  for (let i = 0; i < escaped.length; i += 1) {
    const piece = escaped[i] ?? "";
    const marker = `… ${chars.length - i} more characters`;
    if (lengthOf(out) + lengthOf(piece) + lengthOf(marker) > maxLength) return out + marker;
    out += piece;
  }
  return out;
}

function nameNote(value: string): string {
  const nonAscii = [...new Set(Array.from(value).filter((c) => (c.codePointAt(0) ?? 0) > 0x7e))];
  if (nonAscii.length === 0) return "";
  const list = nonAscii
    .slice(0, 8)
    .map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`);
  return ` (non-ASCII: ${list.join(", ")}${nonAscii.length > 8 ? ", …" : ""})`;
}

/** One line of plain text, every hidden character visible, at most `maxLength` characters. */
export function displayText(value: string, options?: DisplayOptions): string {
  const text = bounded(value, Math.max(40, options?.maxLength ?? VALUE_MAX_LENGTH));
  return options?.name === true ? text + nameNote(value) : text;
}

function codeSpan(run: string): string {
  const padded = run.startsWith(" ") && run.endsWith(" ") && run.trim() !== "" ? ` ${run} ` : run;
  return `\`${padded}\``;
}

/**
 * Inline markdown that shows exactly `displayText` and renders nothing: the text sits in code
 * spans (no links, mentions, references, emoji, HTML or headings there), with backticks and pipes
 * escaped between spans so no content can close a span or split a table cell.
 */
export function displayMarkdown(value: string, options?: DisplayOptions): string {
  const limit = Math.max(40, options?.maxLength ?? VALUE_MAX_LENGTH);
  const text = bounded(value, limit);
  const note = options?.name === true ? nameNote(value) : "";
  if (text === "") return `(empty)${note}`;
  const cut = /… \d+ more characters$/.exec(text);
  const shown = cut === null ? text : text.slice(0, cut.index);
  const body = shown
    .split(/([`|])/)
    .map((piece) =>
      piece === "`" || piece === "|" ? `\\${piece}` : piece === "" ? "" : codeSpan(piece),
    )
    .join("");
  return body + (cut === null ? "" : cut[0]) + note;
}

/** A GitHub label name: escaped, commas shown as <U+002C>, at most 50 characters. */
export function displayLabel(value: string): string {
  if (value === "") return "(empty)";
  const text = Array.from(value)
    .map((c) => (c === "," ? "<U+002C>" : escapeChar(c)))
    .join("")
    .replace(/^ /, "<U+0020>")
    .replace(/ $/, "<U+0020>");
  const chars = Array.from(text);
  return chars.length <= LABEL_MAX_LENGTH
    ? text
    : `${chars.slice(0, LABEL_MAX_LENGTH - 1).join("")}…`;
}
