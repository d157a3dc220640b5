import {
  AuthorizationV1Api,
  loadYaml,
  type V1Node,
  type V1SelfSubjectAccessReview,
} from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { apiRefusal } from "../kube/api-status.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { ensureWorker1 } from "./harness.ts";

// deploy/clusterrole.yaml as the app (user csr-gitops) experiences it: Nodes are read-only.
async function allowed(verb: string, name?: string): Promise<boolean> {
  const api = kubeClients("app").kubeConfig.makeApiClient(AuthorizationV1Api);
  const review = await api.createSelfSubjectAccessReview({
    body: loadYaml<V1SelfSubjectAccessReview>(
      JSON.stringify({
        apiVersion: "authorization.k8s.io/v1",
        kind: "SelfSubjectAccessReview",
        spec: {
          resourceAttributes: {
            group: "",
            resource: "nodes",
            verb,
            ...(name === undefined ? {} : { name }),
          },
        },
      }),
    ),
  });
  return review.status?.allowed === true;
}

describe("the app's access to Nodes", () => {
  it("reads Nodes (get, list, watch) for the cluster-aware checks", async () => {
    await ensureWorker1();
    const { core } = kubeClients("app");
    const node = await core.readNode({ name: "worker-1" });
    expect(node.status?.addresses?.map((a) => a.address)).toContain("10.0.0.11");
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).toContain("worker-1");
    expect(await allowed("watch")).toBe(true);
  });

  it("cannot create, change or delete a Node", async () => {
    const { core } = kubeClients("app");
    const body = loadYaml<V1Node>(
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: uniqueName("rogue") } }),
    );
    expect((await apiRefusal(() => core.createNode({ body }))).code).toBe(403);
    expect((await apiRefusal(() => core.deleteNode({ name: "worker-1" }))).code).toBe(403);
    for (const verb of ["update", "patch", "delete", "create"]) {
      expect(await allowed(verb, "worker-1")).toBe(false);
    }
    expect((await allowed("update", "worker-1")) || (await allowed("update"))).toBe(false);
  });
});
