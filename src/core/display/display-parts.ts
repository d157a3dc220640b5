/**
 * The shared step of every display variant: escape each hidden character, cut the value to a
 * bound, and note a name's non-ASCII code points. Each variant then frames these parts for its
 * context (plain text, markdown, HTML, label).
 */
import { codePointNotation, groupDigits } from "./code-point.ts";
import { escapeCharacter } from "./escape-character.ts";
import { isHiddenCharacter } from "./hidden-characters.ts";
import { NAME_NOTE_MAX_LENGTH } from "./display-options.ts";

export interface DisplayParts {
  /** The value, every hidden character escaped; cut when it did not fit. */
  readonly text: string;
  /** "… 3,800 more characters" when the value was cut, else "". */
  readonly more: string;
  /** " (non-ASCII: U+0430)" when asked for a name with non-ASCII characters, else "". */
  readonly note: string;
}

/** How a cut is marked; `rest` counts the value's characters (code points) not shown. */
export type CutMarker = (rest: number) => string;

export const moreCharacters: CutMarker = (rest) =>
  `… ${groupDigits(rest)} more character${rest === 1 ? "" : "s"}`;

/** Code points, not UTF-16 units: an astral character counts once, like a reader counts it. */
export function lengthOf(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) n += 1;
  return n;
}

/** Most code points listed in a name's note. */
const NOTE_CODE_POINTS = 6;

function nameNote(value: string): string {
  const seen = new Set<number>();
  for (const char of value) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint > 0x7e && !isHiddenCharacter(char)) seen.add(codePoint);
  }
  if (seen.size === 0) return "";
  const listed = [...seen].slice(0, NOTE_CODE_POINTS).map(codePointNotation).join(", ");
  const rest = seen.size - NOTE_CODE_POINTS;
  const note = ` (non-ASCII: ${listed}${rest > 0 ? `, and ${groupDigits(rest)} more` : ""})`;
  return note.length <= NAME_NOTE_MAX_LENGTH ? note : ` (non-ASCII: ${groupDigits(seen.size)})`;
}

/**
 * Splits `value` into its display parts: `text` + `more` is at most `maxLength` code points.
 * Linear in the value's length; stops escaping once the bound is reached.
 */
export function displayParts(
  value: string,
  maxLength: number,
  asName: boolean,
  marker: CutMarker = moreCharacters,
  escape: (char: string, index: number) => string = escapeCharacter,
): DisplayParts {
  const note = asName ? nameNote(value) : "";
  const tokens: string[] = [];
  let used = 0;
  let total = 0;
  let fits = true;
  for (const char of value) {
    total += 1;
    if (!fits) continue;
    const token = escape(char, total - 1);
    used += lengthOf(token);
    if (used > maxLength) fits = false;
    else tokens.push(token);
  }
  if (fits) return { text: tokens.join(""), more: "", note };

  // Room for the marker: its longest form (every character cut) bounds every shorter one.
  const budget = maxLength - lengthOf(marker(total));
  let text = "";
  let shown = 0;
  let length = 0;
  for (const token of tokens) {
    const size = lengthOf(token);
    if (length + size > budget) break;
    text += token;
    length += size;
    shown += 1;
  }
  return { text, more: marker(total - shown), note };
}
