/**
 * Which CSRs may share a PR (docs/controller.md, "Batches"): batching is on (`batch.maxSize` > 1),
 * the verdict allows, no risk tier of the policy applied (a high-risk CSR is reviewed alone), and
 * the request decoded. Policy-denied CSRs always get their own PR. Pure.
 */
import type { RepoConfig } from "../core/config/config-schema.ts";
import type { CsrRecord } from "../core/record/record.ts";

export function batchEligible(config: RepoConfig, record: CsrRecord): boolean {
  return (
    config.batch.maxSize > 1 &&
    record.verdict.decision === "allow" &&
    !record.verdict.notes.some((n) => n.code === "tier-applied") &&
    record.request.decoded !== null
  );
}
