/**
 * Notes (never denials) for subject values longer than X.520's upper bounds (RFC 5280 appendix
 * A.1: ub-common-name, ub-organization-name and ub-organizational-unit-name are all 64). Some
 * CAs and TLS libraries refuse or cut such names, and a value this long is hard to review, so the
 * reviewer is told; Kubernetes itself does not enforce the bounds.
 */
import type { Subject } from "../csr/types.ts";
import { groupDigits } from "../display/code-point.ts";
import type { Reason } from "./verdict.ts";

const UPPER_BOUNDS: Readonly<Record<string, { bound: number; name: string }>> = {
  CN: { bound: 64, name: "ub-common-name" },
  O: { bound: 64, name: "ub-organization-name" },
  OU: { bound: 64, name: "ub-organizational-unit-name" },
};

/** One `subject-value-too-long` note per CN, O or OU value over its X.520 upper bound. */
export function noteSubjectLengths(subject: Subject): Reason[] {
  const notes: Reason[] = [];
  for (const attribute of subject.attributes) {
    const limit = Object.hasOwn(UPPER_BOUNDS, attribute.type)
      ? UPPER_BOUNDS[attribute.type]
      : undefined;
    if (limit === undefined) continue;
    // Code points are never more than UTF-16 units: a value short in units needs no counting.
    if (attribute.value.length <= limit.bound) continue;
    const length = Array.from(attribute.value).length;
    if (length <= limit.bound) continue;
    notes.push({
      code: "subject-value-too-long",
      message: `request.subject.${attribute.type} is ${groupDigits(length)} characters, over X.520's upper bound of ${limit.bound} (${limit.name}); some CAs and clients refuse or cut such names`,
      field: `request.subject.${attribute.type}`,
    });
  }
  return notes;
}
