/**
 * Git trailers: rendering values that cannot break out of their line, and reading the trailer
 * block back the way `git interpret-trailers --parse` does for the messages this project writes.
 * Pure.
 *
 * Why values are folded to one line: a receipt's reason comes from a person's PR comment. A
 * newline in it would start a new trailer line, so "ok\nCsr-Gitops-Approved-By: mallory (id 9)"
 * could forge an approver in the audit trail. Every control character (C0, DEL, C1, and the Unicode
 * line and paragraph separators) becomes a space, runs of spaces collapse, and the value is capped.
 */

export interface Trailer {
  readonly key: string;
  readonly value: string;
}

/** Longest value kept in a trailer; longer ones are cut and end with "…". */
export const TRAILER_VALUE_MAX = 300;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A value safe for one trailer line: no control characters, single spaces, at most the cap. */
export function trailerValue(value: string): string {
  const flat = value.replace(CONTROL, " ").replace(/ {2,}/g, " ").trim();
  const chars = Array.from(flat);
  if (chars.length <= TRAILER_VALUE_MAX) return flat;
  return `${chars.slice(0, TRAILER_VALUE_MAX - 1).join("")}…`;
}

/** Trailer keys are the project's own constants; anything else is a programming error. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export function renderTrailers(trailers: readonly Trailer[]): string {
  return trailers
    .map((t) => {
      if (!KEY.test(t.key)) throw new Error(`invalid trailer key ${JSON.stringify(t.key)}`);
      const value = trailerValue(t.value);
      return value === "" ? `${t.key}:` : `${t.key}: ${value}`;
    })
    .join("\n");
}

/** `subject\n\nbody\n\ntrailers\n`: the trailers are the message's last paragraph. */
export function renderMessage(subject: string, body: string, trailers: readonly Trailer[]): string {
  const head = trailerValue(subject);
  const paragraph = body.replace(/\r\n?/g, "\n").trim();
  // A body paragraph that looks like trailers would be read as the trailer block if the real
  // block were ever lost; the body is the project's own prose, but keep it out of that shape.
  return `${head}\n\n${paragraph === "" ? "" : `${paragraph}\n\n`}${renderTrailers(trailers)}\n`;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]?(.*)$/;

/**
 * The trailers of a commit message: its last paragraph, when every line of it is a trailer
 * (`Key: value`) or a continuation (a line starting with whitespace, folded into the previous
 * value). Anything else means the message has no trailer block, and the result is empty: a
 * receipt whose trailers are mixed with prose is not a receipt.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  let start = lines.length;
  while (start > 0 && (lines[start - 1] ?? "").trim() !== "") start--;
  // The first line is the subject, never a trailer block of its own.
  if (start === 0) return [];
  const block = lines.slice(start);
  const trailers: { key: string; value: string }[] = [];
  for (const line of block) {
    const last = trailers.at(-1);
    if (/^[ \t]/.test(line) && last !== undefined) {
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const match = TRAILER_LINE.exec(line);
    if (match === null) return [];
    trailers.push({ key: match[1] ?? "", value: (match[2] ?? "").trim() });
  }
  return trailers;
}
