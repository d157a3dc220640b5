import type { CsrObjectInfo, Subject } from "../csr/types.ts";
import { compilePerList } from "./compile-per-list.ts";
import { matchAnyGlob } from "./glob.ts";
import type { SignerRule } from "./policy-schema.ts";
import { isNodeName, resolveAll, type Template } from "./requester-template.ts";
import type { Reason } from "./verdict.ts";

const NODE_PREFIX = "system:node:";
const NONE: readonly string[] = [];

/**
 * Folded for forbidden lists only: Kubernetes compares names exactly, so "System:Masters" is not
 * system:masters to RBAC; but such a look-alike has no honest use, may mislead a reviewer, and
 * another consumer of the certificate may fold case. Forbidding errs on the side of denying.
 */
function fold(value: string): string {
  return value.normalize("NFKC").toLowerCase().trim();
}

/** A policy's forbidden patterns, folded once per policy. */
const folded = compilePerList((patterns) => patterns.map(fold));

function matchesForbidden(patterns: readonly string[], value: string): boolean {
  // An empty list forbids nothing: the value is not folded for it.
  if (patterns.length === 0) return false;
  return matchAnyGlob(patterns, value) || matchAnyGlob(folded(patterns), fold(value));
}

function checkCommonName(
  rule: NonNullable<NonNullable<SignerRule["subject"]>["commonName"]>,
  cn: string,
  username: string,
  values: Partial<Record<Template, string>>,
): Reason[] {
  const reasons: Reason[] = [];
  const field = "request.subject.CN";
  if (rule.patterns !== undefined && !matchAnyGlob(resolveAll(rule.patterns, values), cn)) {
    reasons.push({
      code: "cn-mismatch",
      message: `CN "${cn}" matches none of ${rule.patterns.map((p) => `"${p}"`).join(", ")}`,
      field,
    });
  }
  if (rule.forbidden !== undefined && matchesForbidden(rule.forbidden, cn)) {
    reasons.push({ code: "cn-forbidden", message: `CN "${cn}" is forbidden`, field });
  }
  if (rule.equalsRequester === true && cn === username && cn.startsWith(NODE_PREFIX)) {
    // "system:node:" + "" or "a:b" is no node Kubernetes can have, so nothing a node may ask for,
    // even when it is the requester's own (odd) username: the node authorizer cannot scope it.
    const node = cn.slice(NODE_PREFIX.length);
    if (!isNodeName(node)) {
      reasons.push({
        code: "cn-not-requester-node",
        message: `CN "${cn}" does not name a node: "${node}" is not a valid node name (DNS-1123 subdomain)`,
        field,
      });
    }
  } else if (rule.equalsRequester === true && cn !== username) {
    // A node asking for another node's name is the classic kubelet impersonation: say so.
    const nodeCase = cn.startsWith(NODE_PREFIX) || username.startsWith(NODE_PREFIX);
    reasons.push(
      nodeCase
        ? {
            code: "cn-not-requester-node",
            message: `CN "${cn}" is not the requesting node "${username}": a node may only ask for its own name`,
            field,
          }
        : {
            code: "cn-not-requester",
            message: `CN "${cn}" is not the requester's username "${username}"`,
            field,
          },
    );
  }
  return reasons;
}

/**
 * Subject CN and O against the rule and the policy-wide forbidden organisations; `values` are the
 * requester's template values (templateValues).
 */
export function checkSubject(
  rule: SignerRule["subject"],
  forbiddenOrganizations: readonly string[],
  subject: Subject,
  object: CsrObjectInfo,
  values: Partial<Record<Template, string>>,
): Reason[] {
  const reasons: Reason[] = [];
  if (rule?.commonName !== undefined) {
    reasons.push(
      ...checkCommonName(rule.commonName, subject.commonName, object.requester.username, values),
    );
  }
  const ruleForbidden = rule?.organizations?.forbidden ?? NONE;
  const allowedPatterns = rule?.organizations?.allowed;
  const allowed = allowedPatterns === undefined ? undefined : resolveAll(allowedPatterns, values);
  for (const org of subject.organizations) {
    // Two lists, each compiled once, rather than one list built per CSR.
    if (matchesForbidden(forbiddenOrganizations, org) || matchesForbidden(ruleForbidden, org)) {
      reasons.push({
        code: "org-forbidden",
        message: `organisation "${org}" is forbidden`,
        field: "request.subject.O",
      });
    } else if (allowed !== undefined && !matchAnyGlob(allowed, org)) {
      reasons.push({
        code: "org-not-allowed",
        message: `organisation "${org}" matches none of ${(allowedPatterns ?? []).map((p) => `"${p}"`).join(", ")}`,
        field: "request.subject.O",
      });
    }
  }
  return reasons;
}
