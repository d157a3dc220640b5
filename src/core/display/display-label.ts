import { groupDigits } from "./code-point.ts";
import { LABEL_MAX_LENGTH } from "./display-options.ts";
import { displayParts, lengthOf } from "./display-parts.ts";
import { escapeCharacter } from "./escape-character.ts";

/**
 * A value as a GitHub label name: `displayText`'s escapes, at most LABEL_MAX_LENGTH (50)
 * characters with a short "…+3,800" marker when cut, a comma shown as `<U+002C>` (tools and
 * searches such as `label:a,b` split label lists on commas), and a leading or trailing space as
 * `<U+0020>` (GitHub trims them). Never empty: an empty value is "(empty)".
 */
export function displayLabel(value: string): string {
  if (value === "") return "(empty)";
  const last = lengthOf(value) - 1;
  const escape = (char: string, index: number): string =>
    char === "," || (char === " " && (index === 0 || index === last))
      ? `<U+00${char.charCodeAt(0).toString(16).toUpperCase()}>`
      : escapeCharacter(char);
  const parts = displayParts(
    value,
    LABEL_MAX_LENGTH,
    false,
    (rest) => `…+${groupDigits(rest)}`,
    escape,
  );
  return parts.text + parts.more;
}
