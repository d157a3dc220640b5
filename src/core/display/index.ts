/**
 * Showing strings someone else chose (CSR fields, requester names, error messages that echo
 * input) to people, inert: every human-facing output uses one of these. JSON and YAML output keep
 * exact data instead. See docs/display.md.
 */
export { displayText, displayName, displayMessage } from "./display-text.ts";
export { displayMarkdown } from "./display-markdown.ts";
export { displayHtml } from "./display-html.ts";
export { displayLabel } from "./display-label.ts";
export { describeCharacter } from "./describe-character.ts";
export { isHiddenCharacter, findHiddenCharacters } from "./hidden-characters.ts";
export type { HiddenCharacter } from "./hidden-characters.ts";
export {
  VALUE_MAX_LENGTH,
  MESSAGE_MAX_LENGTH,
  LABEL_MAX_LENGTH,
  MIN_MAX_LENGTH,
  NAME_NOTE_MAX_LENGTH,
} from "./display-options.ts";
export type { DisplayOptions } from "./display-options.ts";
