/**
 * How many approvals a CSR needs: the policy-wide minimum, raised by the signer rule's own number
 * and by every risk tier whose condition holds. Everything combines with max(), so neither a tier
 * nor a signer entry can ever lower the count below the policy's minimum.
 */
import type { CsrObjectInfo, DecodedRequest } from "../csr/types.ts";
import { anyDnsPatternMayCover } from "./dns-pattern.ts";
import { matchAnyGlob } from "./glob.ts";
import type { Policy, SignerRule, Tier, TierCondition } from "./policy-schema.ts";
import type { Reason } from "./verdict.ts";

/** True when every test the condition names holds for this CSR. */
export function tierApplies(
  when: TierCondition,
  request: DecodedRequest,
  object: CsrObjectInfo | undefined,
): boolean {
  const key = request.publicKey;
  const dns = request.subjectAltNames.filter((s) => s.type === "DNS").map((s) => s.value);
  const tests: (boolean | undefined)[] = [
    when.keyAlgorithms?.includes(key.algorithm),
    when.rsaBitsBelow === undefined
      ? undefined
      : key.algorithm === "RSA" && key.bits < when.rsaBitsBelow,
    when.sanCountAbove === undefined
      ? undefined
      : request.subjectAltNames.length > when.sanCountAbove,
    when.commonNames === undefined
      ? undefined
      : matchAnyGlob(when.commonNames, request.subject.commonName),
    when.organizations === undefined
      ? undefined
      : request.subject.organizations.some((o) => matchAnyGlob(when.organizations ?? [], o)),
    when.dnsNames === undefined
      ? undefined
      : // A wildcard name over a risky name counts as that name (dnsPatternMayCover).
        dns.some((d) => anyDnsPatternMayCover(when.dnsNames ?? [], d)),
    when.usages === undefined
      ? undefined
      : (object?.usages ?? []).some((u) => (when.usages ?? []).some((w) => w === u)),
    // Unset means the signer picks the lifetime (often a year): count it as above any bound, so
    // leaving expirationSeconds out cannot dodge a long-lifetime tier.
    when.expirationSecondsAbove === undefined
      ? undefined
      : object?.expirationSeconds === undefined ||
        object.expirationSeconds > when.expirationSecondsAbove,
    when.expirationUnset === undefined ? undefined : object?.expirationSeconds === undefined,
    when.requesterUsernames === undefined
      ? undefined
      : object !== undefined && matchAnyGlob(when.requesterUsernames, object.requester.username),
    when.requesterGroups === undefined
      ? undefined
      : object?.requester.groups.some((g) => (when.requesterGroups ?? []).includes(g)) === true,
  ];
  const given = tests.filter((t) => t !== undefined);
  return given.length > 0 && given.every(Boolean);
}

export interface ApprovalCount {
  readonly requiredApprovals: number;
  readonly notes: readonly Reason[];
}

export function requiredApprovals(
  policy: Policy,
  rule: SignerRule | undefined,
  request: DecodedRequest,
  object: CsrObjectInfo | undefined,
): ApprovalCount {
  let count = Math.max(policy.requiredApprovals, rule?.requiredApprovals ?? 0);
  const notes: Reason[] = [];
  const tiers: readonly Tier[] = [...policy.tiers, ...(rule?.tiers ?? [])];
  for (const tier of tiers) {
    if (!tierApplies(tier.when, request, object)) continue;
    const raised = tier.requiredApprovals > count;
    count = Math.max(count, tier.requiredApprovals);
    notes.push({
      code: "tier-applied",
      message: raised
        ? `risk tier "${tier.name}" applies: ${tier.requiredApprovals} approvals required`
        : `risk tier "${tier.name}" applies (asks ${tier.requiredApprovals}; ${count} already required)`,
    });
  }
  return { requiredApprovals: count, notes };
}
