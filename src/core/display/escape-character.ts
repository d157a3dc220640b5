import { codePointNotation } from "./code-point.ts";
import { isHiddenCharacter } from "./hidden-characters.ts";

const NAMED: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function isControl(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f);
}

/**
 * How one code point is shown: itself when it is visible; `\t`, `\n`, `\r` or `\x1b` for C0, DEL
 * and C1 controls; `<U+200B>` for every other hidden character (see hidden-characters.ts). Every
 * escape is printable ASCII, so the result never holds a hidden character.
 */
export function escapeCharacter(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const named = NAMED[char];
  if (named !== undefined) return named;
  if (isControl(codePoint)) return `\\x${codePoint.toString(16).padStart(2, "0")}`;
  if (isHiddenCharacter(char)) return `<${codePointNotation(codePoint)}>`;
  return char;
}
