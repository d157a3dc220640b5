import { codePointNotation } from "./code-point.ts";

/** Names of the hidden characters an attacker is most likely to use, for messages people read. */
const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, "NUL"],
  [0x07, "BEL"],
  [0x08, "BACKSPACE"],
  [0x09, "TAB"],
  [0x0a, "LINE FEED"],
  [0x0b, "VERTICAL TAB"],
  [0x0c, "FORM FEED"],
  [0x0d, "CARRIAGE RETURN"],
  [0x1b, "ESCAPE"],
  [0x7f, "DELETE"],
  [0x85, "NEXT LINE"],
  [0x90, "DEVICE CONTROL STRING"],
  [0x9b, "CONTROL SEQUENCE INTRODUCER"],
  [0x9c, "STRING TERMINATOR"],
  [0x9d, "OPERATING SYSTEM COMMAND"],
  [0xa0, "NO-BREAK SPACE"],
  [0xad, "SOFT HYPHEN"],
  [0x34f, "COMBINING GRAPHEME JOINER"],
  [0x61c, "ARABIC LETTER MARK"],
  [0x200b, "ZERO WIDTH SPACE"],
  [0x200c, "ZERO WIDTH NON-JOINER"],
  [0x200d, "ZERO WIDTH JOINER"],
  [0x200e, "LEFT-TO-RIGHT MARK"],
  [0x200f, "RIGHT-TO-LEFT MARK"],
  [0x2028, "LINE SEPARATOR"],
  [0x2029, "PARAGRAPH SEPARATOR"],
  [0x202a, "LEFT-TO-RIGHT EMBEDDING"],
  [0x202b, "RIGHT-TO-LEFT EMBEDDING"],
  [0x202c, "POP DIRECTIONAL FORMATTING"],
  [0x202d, "LEFT-TO-RIGHT OVERRIDE"],
  [0x202e, "RIGHT-TO-LEFT OVERRIDE"],
  [0x2060, "WORD JOINER"],
  [0x2066, "LEFT-TO-RIGHT ISOLATE"],
  [0x2067, "RIGHT-TO-LEFT ISOLATE"],
  [0x2068, "FIRST STRONG ISOLATE"],
  [0x2069, "POP DIRECTIONAL ISOLATE"],
  [0x3164, "HANGUL FILLER"],
  [0xfeff, "ZERO WIDTH NO-BREAK SPACE"],
]);

const BIDI: ReadonlySet<number> = new Set([
  0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

function kind(char: string, codePoint: number): string | undefined {
  if (codePoint < 0x20 || codePoint === 0x7f) return "C0 control";
  if (codePoint >= 0x80 && codePoint <= 0x9f) return "C1 control";
  if (BIDI.has(codePoint)) return "bidi control";
  if (/^\p{Cs}$/u.test(char)) return "lone surrogate";
  if (/^[\p{Zl}\p{Zp}]$/u.test(char)) return "line break";
  if (char !== " " && /^\p{White_Space}$/u.test(char)) return "space that is not U+0020";
  if (/^\p{Default_Ignorable_Code_Point}$/u.test(char)) return "invisible";
  if (/^\p{Cf}$/u.test(char)) return "format character";
  if (/^\p{Co}$/u.test(char)) return "private use";
  if (/^\p{Cn}$/u.test(char)) return "unassigned";
  return undefined;
}

/**
 * One code point for a message people read, in printable ASCII only, e.g.
 * "U+202E RIGHT-TO-LEFT OVERRIDE (bidi control)", "U+009B CONTROL SEQUENCE INTRODUCER (C1
 * control)", "U+E0041 (invisible)", or "U+0430" for a visible character. Safe to embed anywhere.
 */
export function describeCharacter(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const name = NAMES.get(codePoint);
  const what = kind(char, codePoint);
  const notation = codePointNotation(codePoint);
  const named = name === undefined ? notation : `${notation} ${name}`;
  return what === undefined ? named : `${named} (${what})`;
}
