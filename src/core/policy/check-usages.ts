import type { CsrObjectInfo } from "../csr/types.ts";
import { compilePerList } from "./compile-per-list.ts";
import type { SignerRule } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

/** A rule's allowed usages as a set, built once per policy. */
const usageSet = compilePerList((usages): ReadonlySet<string> => new Set(usages));

/** spec.usages against the rule's allowed and required usages. */
export function checkUsages(rule: SignerRule["usages"], object: CsrObjectInfo): Reason[] {
  const reasons: Reason[] = [];
  const allowed = usageSet(rule.allowed);
  const usages = object.usages;
  for (let i = 0; i < usages.length; i++) {
    const usage = usages[i] ?? "";
    // A usage listed twice is reported once, at its first place (no Set built per CSR).
    if (usages.indexOf(usage) !== i) continue;
    if (!allowed.has(usage)) {
      reasons.push({
        code: "usage-not-allowed",
        message: `usage "${usage}" is not allowed (allowed: ${rule.allowed.join(", ")})`,
        field: "spec.usages",
      });
    }
  }
  for (const usage of rule.required ?? []) {
    if (!object.usages.includes(usage)) {
      reasons.push({
        code: "usage-missing",
        message: `usage "${usage}" is required`,
        field: "spec.usages",
      });
    }
  }
  return reasons;
}
