/**
 * Which characters a reader cannot see for what they are. A terminal acts on controls (ESC starts
 * a command, CR moves the cursor, C1 U+009B is CSI on some terminals), bidi controls reorder what
 * follows, and zero-width or default-ignorable characters are drawn as nothing, so
 * "system<U+200B>:masters" looks exactly like "system:masters". Such characters are shown as
 * escapes by the display functions and denied by the policy (`deceptive-characters`).
 *
 * The set, by Unicode property (one code point at a time, so a lone surrogate counts):
 * - Cc: C0 controls, DEL, C1 controls;
 * - Cf: format characters (bidi controls U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C;
 *   zero-width U+200B-U+200D, U+2060, U+FEFF, the soft hyphen, tag characters, ...);
 * - Default_Ignorable_Code_Point: everything a renderer may draw as nothing (variation
 *   selectors, Hangul fillers, U+034F, U+180B-U+180F, ...);
 * - Zl, Zp and every White_Space character but U+0020: line and paragraph separators, and spaces
 *   such as U+00A0 or U+3000 that look like a plain space but are another character;
 * - Cs: lone surrogates (a UTF-16 half with no partner);
 * - Co and Cn: private-use and unassigned code points, which a font may draw as anything.
 */
const HIDDEN =
  /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{White_Space}\p{Default_Ignorable_Code_Point}]$/u;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when `char` (one code point) is a character a reader cannot see for what it is. */
export function isHiddenCharacter(char: string): boolean {
  return char !== " " && HIDDEN.test(char);
}

/** A hidden character found in a value: what it is and where (1-based, in code points). */
export interface HiddenCharacter {
  readonly character: string;
  readonly codePoint: number;
  readonly position: number;
}

/** Every hidden character of `value`, in order. Empty when the value shows as what it is. */
export function findHiddenCharacters(value: string): HiddenCharacter[] {
  // Fast path: nearly every real value is printable ASCII, which holds nothing hidden.
  if (PRINTABLE_ASCII.test(value)) return [];
  const found: HiddenCharacter[] = [];
  let position = 0;
  for (const character of value) {
    position += 1;
    if (isHiddenCharacter(character)) {
      found.push({ character, codePoint: character.codePointAt(0) ?? 0, position });
    }
  }
  return found;
}
