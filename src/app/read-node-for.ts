/**
 * The Node the cluster-aware checks need for this live CSR (src/core/cluster `nodeToRead`), read
 * fresh from the apiserver right after the CSR. A read error is returned as data, and the decision
 * refuses on it (fail closed).
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import type { ConfigAt, LiveCsr, NodeRead } from "../core/approval/index.ts";
import { nodeToRead } from "../core/cluster/cluster-checks.ts";
import { readNodeFacts } from "../kube/nodes.ts";

export async function readNodeFor(
  core: CoreV1Api,
  config: ConfigAt,
  live: LiveCsr,
): Promise<NodeRead> {
  if (!config.ok || !live.present) return { kind: "not-needed" };
  const name = nodeToRead(live.decoded, config.clusterChecks);
  if (name === undefined) return { kind: "not-needed" };
  try {
    return { kind: "read", name, node: await readNodeFacts(core, name) };
  } catch (error) {
    return { kind: "error", name, error: error instanceof Error ? error.message : String(error) };
  }
}
