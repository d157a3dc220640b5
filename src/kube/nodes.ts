import type { CoreV1Api } from "@kubernetes/client-node";
import type { NodeFacts } from "../core/cluster/cluster-checks.ts";
import { isKubeNotFound } from "./kube-errors.ts";

/** The Node's addresses, or undefined when no Node has that name. Other errors are thrown (retry). */
export async function readNodeFacts(core: CoreV1Api, name: string): Promise<NodeFacts | undefined> {
  try {
    const node = await core.readNode({ name });
    const addresses = (node.status?.addresses ?? []).map((a) => ({
      type: a.type,
      address: a.address,
    }));
    return { name, addresses };
  } catch (error) {
    if (isKubeNotFound(error)) return undefined;
    throw error;
  }
}
