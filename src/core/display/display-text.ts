import {
  boundOf,
  MESSAGE_MAX_LENGTH,
  VALUE_MAX_LENGTH,
  type DisplayOptions,
} from "./display-options.ts";
import { displayParts } from "./display-parts.ts";

/**
 * A value from a CSR (or anything else someone else chose) as plain text a person can trust:
 * controls as `\x1b`, `\n`, `\r`, `\t`; bidi, zero-width and other hidden characters as
 * `<U+200B>`; cut to `maxLength` with "… 3,800 more characters". One line, whatever the input.
 * For terminals, plain-text logs and anything not markdown or HTML.
 *
 * Idempotent (a display of a display is the same text, with an equal or larger bound), so a
 * message that already embeds displayed values may be displayed again safely.
 */
export function displayText(value: string, options?: DisplayOptions): string {
  const parts = displayParts(value, boundOf(options, VALUE_MAX_LENGTH), options?.name === true);
  return parts.text + parts.more + parts.note;
}

/** `displayText` for a name (CN, O, SAN, username, group, ...): non-ASCII code points noted. */
export function displayName(value: string, options?: DisplayOptions): string {
  return displayText(value, { ...options, name: true });
}

/**
 * A sentence for people that may embed input-derived values (a log line, a Kubernetes Event or
 * condition message, a reason message): `displayText` with the larger MESSAGE_MAX_LENGTH bound.
 */
export function displayMessage(message: string, options?: DisplayOptions): string {
  return displayText(message, { maxLength: MESSAGE_MAX_LENGTH, ...options });
}
