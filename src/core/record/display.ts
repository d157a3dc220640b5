/**
 * The one place this folder turns CSR-derived strings into text for PR titles, bodies, labels and
 * check runs: src/core/display, re-exported so every call site here goes through one module.
 */
export { displayLabel, displayMarkdown, displayText } from "../display/index.ts";
export type { DisplayOptions } from "../display/index.ts";
