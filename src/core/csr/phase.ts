import type { CsrCondition, CsrPhase } from "./types.ts";

/**
 * The CSR's phase from its conditions and issued certificate. Precedence:
 * Failed > Denied > Issued > Approved > Pending.
 * - A terminal refusal wins: Failed (the signer refused after approval) and Denied are final, and
 *   a certificate next to them would be an anomaly a reviewer must not read as success.
 * - Issued beats Approved: a certificate exists, which is what matters for the audit.
 * A condition counts when its status is "True"; v1 requires that for these types, and an empty
 * status (objects written before v1 defaulted it) is read as "True" too.
 */
export function csrPhase(
  conditions: readonly CsrCondition[],
  certificate: string | undefined,
): CsrPhase {
  const has = (type: string): boolean =>
    conditions.some((c) => c.type === type && (c.status === "True" || c.status === ""));
  if (has("Failed")) return "Failed";
  if (has("Denied")) return "Denied";
  if (certificate !== undefined && certificate.length > 0) return "Issued";
  if (has("Approved")) return "Approved";
  return "Pending";
}
