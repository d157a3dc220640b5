/**
 * The controller's cluster-aware checks (src/core/cluster), run again at merge time on the live
 * CSR and the Node read just after it: the Node may have been deleted, or its addresses changed,
 * since the PR was opened. Fails closed: a Node that was needed but not read (or not the one
 * needed) refuses. Pure.
 */
import { clusterCheckReasons, nodeToRead } from "../cluster/cluster-checks.ts";
import type { Finding } from "./finding.ts";
import type { RefusalCode } from "./reason-codes.ts";
import type { ConfigAt, LiveCsr, NodeRead } from "./snapshot.ts";

export function checkCluster(
  config: ConfigAt,
  live: LiveCsr,
  node: NodeRead,
): Finding<RefusalCode>[] {
  // A broken config refuses as config-invalid, a missing CSR as csr-missing: nothing to check.
  if (!config.ok || !live.present) return [];
  const checks = config.clusterChecks;
  const wanted = nodeToRead(live.decoded, checks);
  let facts: Parameters<typeof clusterCheckReasons>[1] = undefined;
  if (wanted !== undefined) {
    if (node.kind === "error")
      return [
        {
          code: "node-unreadable",
          message: `Node ${JSON.stringify(wanted)} could not be read: ${node.error}`,
        },
      ];
    if (node.kind !== "read" || node.name !== wanted)
      return [
        {
          code: "node-unreadable",
          message: `Node ${JSON.stringify(wanted)} was not read before deciding`,
        },
      ];
    facts = node.node;
  }
  return clusterCheckReasons(live.decoded, facts, checks).map((r) => ({
    code: "cluster-check-fails",
    message: `${r.code}: ${r.message}`,
  }));
}
