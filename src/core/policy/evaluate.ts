/**
 * The policy verdict for one decoded CSR. Pure and total: any input, however broken, yields a
 * verdict, and every reason to deny is reported (not only the first) so a reviewer sees the whole
 * picture at once.
 */
import type { CsrObjectInfo, DecodeResult, DecodedRequest } from "../csr/types.ts";
import { checkBuiltinSignerRules } from "./builtin-signer-rules.ts";
import { checkInvariants } from "./check-invariants.ts";
import { checkKey } from "./check-key.ts";
import { checkLifetime } from "./check-lifetime.ts";
import { checkRequester } from "./check-requester.ts";
import { checkSubjectAltNames } from "./check-sans.ts";
import { checkSubject } from "./check-subject.ts";
import { checkUsages } from "./check-usages.ts";
import type { Policy, SignerRule } from "./policy-schema.ts";
import { requiredApprovals } from "./required-approvals.ts";
import { templateValues } from "./requester-template.ts";
import { LEGACY_UNKNOWN } from "./signer-names.ts";
import type { Reason, Verdict } from "./verdict.ts";
import { checkDeceptiveCharacters } from "./check-characters.ts";
import { noteSubjectLengths } from "./note-subject-lengths.ts";

/** Condition types that record a decision: once present, the CSR is never approvable again. */
const DECISION_TYPES: ReadonlySet<string> = new Set(["Approved", "Denied", "Failed"]);

function ruleFor(policy: Policy, signerName: string): SignerRule | undefined {
  // Own-property lookup: a signerName like "constructor" must not find Object.prototype's.
  return Object.hasOwn(policy.signers, signerName) ? policy.signers[signerName] : undefined;
}

function objectChecks(
  policy: Policy,
  request: DecodedRequest,
  object: CsrObjectInfo,
  rule: SignerRule | undefined,
): Reason[] {
  const reasons: Reason[] = [];
  if (object.phase !== "Pending") {
    reasons.push({
      code: "not-pending",
      message: `the CSR is ${object.phase}; only a Pending CSR can be approved`,
      field: "status.conditions",
    });
  } else {
    // v1 allows only status "True" on these types, so the phase (which counts only "True") reads
    // such an object as Pending; an anomaly must not be approvable, so it is refused here.
    const odd = object.conditions.find((c) => DECISION_TYPES.has(c.type));
    if (odd !== undefined) {
      reasons.push({
        code: "not-pending",
        message: `the CSR has a ${odd.type} condition with status "${odd.status}"; a decision is final whatever its status`,
        field: "status.conditions",
      });
    }
  }
  if (object.signerName === LEGACY_UNKNOWN) {
    reasons.push({
      code: "legacy-unknown-signer",
      message: `signer ${LEGACY_UNKNOWN} is never approved`,
      field: "spec.signerName",
    });
    return reasons;
  }
  reasons.push(...checkBuiltinSignerRules(request, object));
  const values = templateValues(object.requester);
  if (rule === undefined) {
    reasons.push({
      code: "unknown-signer",
      message: `the policy has no rule for signer "${object.signerName}"`,
      field: "spec.signerName",
    });
    // Still apply the rules that hold for every signer, so the reviewer sees them too.
    reasons.push(
      ...checkSubject(undefined, policy.forbiddenOrganizations, request.subject, object, values),
    );
    return reasons;
  }
  reasons.push(
    ...checkUsages(rule.usages, object),
    ...checkSubject(rule.subject, policy.forbiddenOrganizations, request.subject, object, values),
    ...checkSubjectAltNames(rule.subjectAltNames, request.subjectAltNames, values),
    ...checkKey(rule.keys, request.publicKey),
    ...checkLifetime(rule.expiration, object),
    ...checkRequester(rule.requester, object.requester),
  );
  return reasons;
}

function evaluateUnsafe(policy: Policy, input: DecodeResult): Verdict {
  if (!input.ok) {
    return {
      decision: "deny",
      reasons: [
        { code: "undecodable", message: input.error.message, field: "spec.request" },
        ...checkDeceptiveCharacters(undefined, input.object),
      ],
      notes: [],
      requiredApprovals: policy.requiredApprovals,
      signerRule: undefined,
    };
  }
  const { request, object } = input.csr;
  const reasons: Reason[] = [];
  if (!request.signatureValid) {
    reasons.push({
      code: "signature-invalid",
      message: "the request's signature does not verify with its own public key",
      field: "spec.request",
    });
  }
  reasons.push(...checkInvariants(policy, request, object));
  const signerRule =
    object !== undefined && ruleFor(policy, object.signerName) !== undefined
      ? object.signerName
      : undefined;
  const rule = signerRule === undefined ? undefined : ruleFor(policy, signerRule);
  if (object === undefined) {
    reasons.push({
      code: "no-kubernetes-object",
      message: "a bare PEM request has no signer, usages or requester to judge it by",
    });
  } else {
    reasons.push(...objectChecks(policy, request, object, rule));
  }
  // Always on, whatever the rule: what the reviewer reads must be what is there.
  reasons.push(...checkDeceptiveCharacters(request, object));
  const approvals = requiredApprovals(policy, rule, request, object);
  return {
    decision: reasons.length === 0 ? "allow" : "deny",
    reasons,
    notes: [...approvals.notes, ...noteSubjectLengths(request.subject)],
    requiredApprovals: approvals.requiredApprovals,
    signerRule,
  };
}

function safeMinimum(policy: Policy): number {
  const n: unknown = policy.requiredApprovals;
  return typeof n === "number" && Number.isInteger(n) ? Math.max(2, n) : 2;
}

/** Judges a decoded CSR against a validated policy. Never throws. */
export function evaluate(policy: Policy, input: DecodeResult): Verdict {
  try {
    return evaluateUnsafe(policy, input);
  } catch (cause) {
    // Unreachable for validated inputs; if a bug ever throws, deny rather than crash or allow.
    return {
      decision: "deny",
      reasons: [
        {
          code: "evaluation-failed",
          message: `policy evaluation failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        },
      ],
      notes: [],
      requiredApprovals: safeMinimum(policy),
      signerRule: undefined,
    };
  }
}
