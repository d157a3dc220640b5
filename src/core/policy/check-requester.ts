import type { Requester } from "../csr/types.ts";
import { matchAnyGlob } from "./glob.ts";
import type { SignerRule } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

/** spec.username and spec.groups (set by the apiserver, so trustworthy) against the rule. */
export function checkRequester(rule: SignerRule["requester"], requester: Requester): Reason[] {
  const reasons: Reason[] = [];
  if (rule?.usernames !== undefined && !matchAnyGlob(rule.usernames, requester.username)) {
    reasons.push({
      code: "requester-not-allowed",
      message: `requester "${requester.username}" matches none of ${rule.usernames.map((p) => `"${p}"`).join(", ")}`,
      field: "spec.username",
    });
  }
  if (
    rule?.forbiddenUsernames !== undefined &&
    matchAnyGlob(rule.forbiddenUsernames, requester.username)
  ) {
    reasons.push({
      code: "requester-forbidden",
      message: `requester "${requester.username}" is forbidden for this signer`,
      field: "spec.username",
    });
  }
  for (const group of rule?.requiredGroups ?? []) {
    if (!requester.groups.includes(group)) {
      reasons.push({
        code: "requester-group-missing",
        message: `requester is not in group "${group}"`,
        field: "spec.groups",
      });
    }
  }
  for (const group of rule?.forbiddenGroups ?? []) {
    if (requester.groups.includes(group)) {
      reasons.push({
        code: "requester-group-forbidden",
        message: `requester is in forbidden group "${group}"`,
        field: "spec.groups",
      });
    }
  }
  return reasons;
}
