import type { VerdictInput } from "../record/record.ts";
import type { RecordReason } from "../record/record-schema.ts";

/**
 * The policy verdict with the cluster-aware reasons added: any such reason makes it a deny. The
 * policy's own reasons come first, in their order.
 */
export function combineVerdict(
  verdict: VerdictInput,
  clusterReasons: readonly RecordReason[],
): VerdictInput {
  if (clusterReasons.length === 0) return verdict;
  return { ...verdict, decision: "deny", reasons: [...verdict.reasons, ...clusterReasons] };
}
