import type { CsrObjectInfo } from "../csr/types.ts";
import type { SignerRule } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

const field = "spec.expirationSeconds";

/** spec.expirationSeconds against the rule's maximum and whether it must be set. */
export function checkLifetime(rule: SignerRule["expiration"], object: CsrObjectInfo): Reason[] {
  const seconds = object.expirationSeconds;
  if (seconds === undefined) {
    return rule?.required === true
      ? [{ code: "lifetime-missing", message: "expirationSeconds must be set", field }]
      : [];
  }
  if (rule?.maxSeconds !== undefined && seconds > rule.maxSeconds) {
    return [
      {
        code: "lifetime-too-long",
        message: `expirationSeconds ${seconds} exceeds the maximum ${rule.maxSeconds}`,
        field,
      },
    ];
  }
  return [];
}
