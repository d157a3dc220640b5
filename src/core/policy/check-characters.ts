/**
 * Always on, whatever the policy says: a value that holds a control, bidi, zero-width or other
 * hidden character (see core/display/hidden-characters.ts) is denied with `deceptive-characters`.
 *
 * Why it cannot be switched off: every other check protects what the certificate may do; this one
 * protects the review itself. A reviewer approves what they read, and such a value reads as
 * something it is not ("system<U+200B>:masters" looks like system:masters, a right-to-left override
 * reverses what follows, ESC and CR rewrite the terminal). No honest CSR needs them: Kubernetes
 * names, DNS names and usernames are printable. The display functions show them as escapes too,
 * but a deceptive value must never be approved silently.
 */
import type { CsrObjectInfo, DecodedRequest } from "../csr/types.ts";
import { describeCharacter } from "../display/describe-character.ts";
import { displayText } from "../display/display-text.ts";
import { findHiddenCharacters } from "../display/hidden-characters.ts";
import type { Reason } from "./verdict.ts";

/** How many distinct hidden characters (and positions of each) a message lists. */
const LISTED = 3;
/** The value as the message shows it (escaped); the full value is in the record. */
const SHOWN_LENGTH = 80;

interface Checked {
  /** Where the value is, as the message names it, e.g. `request.subject.CN`. */
  readonly what: string;
  readonly field: string;
  readonly value: string;
}

/** "7", "2, 9 and 12", or "2, 9, 12 and 5 more places" for one character's positions. */
function positions(list: readonly number[]): string {
  const word = list.length === 1 ? "character" : "characters";
  if (list.length === 1) return `${word} ${list[0] ?? 0}`;
  if (list.length <= LISTED)
    return `${word} ${list.slice(0, -1).join(", ")} and ${list.at(-1) ?? 0}`;
  return `${word} ${list.slice(0, LISTED).join(", ")} and ${list.length - LISTED} more places`;
}

function reasonFor({ what, field, value }: Checked): Reason | undefined {
  const hidden = findHiddenCharacters(value);
  if (hidden.length === 0) return undefined;
  const byCharacter = new Map<string, number[]>();
  for (const h of hidden) {
    const list = byCharacter.get(h.character) ?? [];
    list.push(h.position);
    byCharacter.set(h.character, list);
  }
  const distinct = [...byCharacter];
  const listed = distinct
    .slice(0, LISTED)
    .map(([character, at]) => `${describeCharacter(character)} at ${positions(at)}`)
    .join(", ");
  const others = distinct.length - LISTED;
  const more = others > 0 ? `, and ${others} other character${others === 1 ? "" : "s"}` : "";
  const count = hidden.length === 1 ? "a hidden character" : `${hidden.length} hidden characters`;
  return {
    code: "deceptive-characters",
    message: `${what} contains ${count}: ${listed}${more}; it reads as "${displayText(value, { maxLength: SHOWN_LENGTH })}"`,
    field,
  };
}

function requestValues(request: DecodedRequest): Checked[] {
  return [
    ...request.subject.attributes.map((a) => ({
      what: `request.subject.${a.type}`,
      field: `request.subject.${a.type}`,
      value: a.value,
    })),
    ...request.subjectAltNames.map((san, i) => ({
      what: `request.subjectAltNames[${i}] (${san.type})`,
      field: `request.subjectAltNames[${i}]`,
      value: san.value,
    })),
  ];
}

function requesterValues(object: CsrObjectInfo): Checked[] {
  const { username, uid, groups, extra } = object.requester;
  const checked: Checked[] = [
    { what: "spec.username", field: "spec.username", value: username },
    { what: "spec.uid", field: "spec.uid", value: uid },
    ...groups.map((value, i) => ({ what: `spec.groups[${i}]`, field: `spec.groups[${i}]`, value })),
  ];
  for (const [key, values] of Object.entries(extra)) {
    const shownKey = displayText(key, { maxLength: SHOWN_LENGTH });
    checked.push({ what: `spec.extra key "${shownKey}"`, field: "spec.extra", value: key });
    values.forEach((value, i) => {
      checked.push({ what: `spec.extra["${shownKey}"][${i}]`, field: "spec.extra", value });
    });
  }
  return checked;
}

/**
 * One `deceptive-characters` reason per value that holds hidden characters: every subject
 * attribute, every SAN, and the requester's username, uid, groups, extra keys and extra values.
 * Either side may be missing (a bare PEM has no object; an undecodable request has no request).
 */
export function checkDeceptiveCharacters(
  request: DecodedRequest | undefined,
  object: CsrObjectInfo | undefined,
): Reason[] {
  const checked = [
    ...(request === undefined ? [] : requestValues(request)),
    ...(object === undefined ? [] : requesterValues(object)),
  ];
  return checked.map(reasonFor).filter((r): r is Reason => r !== undefined);
}
