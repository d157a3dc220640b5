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
import { findHiddenCharacters, type HiddenCharacter } from "../display/hidden-characters.ts";
import type { Reason } from "./verdict.ts";

/** How many distinct hidden characters (and positions of each) a message lists. */
const LISTED = 3;
/** The value as the message shows it (escaped); the full value is in the record. */
const SHOWN_LENGTH = 80;

/** "7", "2, 9 and 12", or "2, 9, 12 and 5 more places" for one character's positions. */
function positions(list: readonly number[]): string {
  const word = list.length === 1 ? "character" : "characters";
  if (list.length === 1) return `${word} ${list[0] ?? 0}`;
  if (list.length <= LISTED)
    return `${word} ${list.slice(0, -1).join(", ")} and ${list.at(-1) ?? 0}`;
  return `${word} ${list.slice(0, LISTED).join(", ")} and ${list.length - LISTED} more places`;
}

/**
 * The reason for a value that holds hidden characters (`hidden`, never empty). `what` names where
 * the value is, e.g. `request.subject.CN`.
 */
function reasonFor(
  what: string,
  field: string,
  value: string,
  hidden: readonly HiddenCharacter[],
): Reason {
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

/*
 * Each value is looked at first; where it is and how the message names it are worked out only
 * for the rare value that holds a hidden character, so a clean CSR builds no message text.
 */

function checkRequest(reasons: Reason[], request: DecodedRequest): void {
  for (const a of request.subject.attributes) {
    const hidden = findHiddenCharacters(a.value);
    if (hidden.length > 0) {
      const where = `request.subject.${a.type}`;
      reasons.push(reasonFor(where, where, a.value, hidden));
    }
  }
  request.subjectAltNames.forEach((san, i) => {
    const hidden = findHiddenCharacters(san.value);
    if (hidden.length > 0) {
      const where = `request.subjectAltNames[${i}]`;
      reasons.push(reasonFor(`${where} (${san.type})`, where, san.value, hidden));
    }
  });
}

function checkRequester(reasons: Reason[], object: CsrObjectInfo): void {
  const { username, uid, groups, extra } = object.requester;
  const hiddenInUsername = findHiddenCharacters(username);
  if (hiddenInUsername.length > 0)
    reasons.push(reasonFor("spec.username", "spec.username", username, hiddenInUsername));
  const hiddenInUid = findHiddenCharacters(uid);
  if (hiddenInUid.length > 0) reasons.push(reasonFor("spec.uid", "spec.uid", uid, hiddenInUid));
  groups.forEach((value, i) => {
    const hidden = findHiddenCharacters(value);
    if (hidden.length > 0) {
      const where = `spec.groups[${i}]`;
      reasons.push(reasonFor(where, where, value, hidden));
    }
  });
  for (const [key, values] of Object.entries(extra)) {
    const shownKey = (): string => displayText(key, { maxLength: SHOWN_LENGTH });
    const hiddenInKey = findHiddenCharacters(key);
    if (hiddenInKey.length > 0)
      reasons.push(reasonFor(`spec.extra key "${shownKey()}"`, "spec.extra", key, hiddenInKey));
    values.forEach((value, i) => {
      const hidden = findHiddenCharacters(value);
      if (hidden.length > 0)
        reasons.push(reasonFor(`spec.extra["${shownKey()}"][${i}]`, "spec.extra", value, hidden));
    });
  }
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
  const reasons: Reason[] = [];
  if (request !== undefined) checkRequest(reasons, request);
  if (object !== undefined) checkRequester(reasons, object);
  return reasons;
}
