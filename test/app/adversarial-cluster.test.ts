/**
 * The controller's cluster-aware checks run again at merge time, with the Node read fresh from the
 * apiserver: a Node deleted, or whose addresses no longer hold the certificate's, between the PR
 * and its merge refuses the approval. Asserted on the real apiserver.
 */
import { readFileSync } from "node:fs";
import { CertificatesV1Api, KubeConfig, loadYaml, type V1Node } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { uniqueName } from "../kube/csr-requests.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { kubeletClientRequestBody, kubeletServingRequest } from "./csr-bodies.ts";
import { startHarness } from "./harness.ts";
import { grantClusterRole } from "./kube-rbac.ts";
import { expectPending, mergeAs, refusalCodes } from "./scenario.ts";

vi.setConfig({ testTimeout: 120_000 });

/**
 * The shipped policy, except that an administrator may request a kubelet client certificate for
 * any node: the test server's only node identity is worker-1, which the other scenarios need, so
 * the Node this scenario deletes is one the test makes.
 */
function policyForAnyNodeClient(): string {
  const text = readFileSync("policy/default.yaml", "utf8");
  const start = text.indexOf("  kubernetes.io/kube-apiserver-client-kubelet:");
  const end = text.indexOf("\n  # Client certificates for people", start);
  const section = text
    .slice(start, end)
    .replace("        equalsRequester: true\n", "")
    .replace(
      '    requester:\n      usernames: ["system:node:*"]\n      requiredGroups: ["system:nodes"]\n',
      "",
    );
  return text.slice(0, start) + section + text.slice(end);
}

const REQUESTER = "csr-gitops-test-requester";

/**
 * CSRs made by a user who may create CSRs and nothing else (the administrator impersonating it):
 * kube-controller-manager auto-approves kubelet client CSRs from anyone allowed the `nodeclient`
 * subresource, which an administrator is.
 */
async function requesterCertificates(): Promise<CertificatesV1Api> {
  await grantClusterRole(
    REQUESTER,
    [
      {
        apiGroups: ["certificates.k8s.io"],
        resources: ["certificatesigningrequests"],
        verbs: ["create", "get"],
      },
    ],
    REQUESTER,
  );
  const { kubeConfig } = kubeClients("admin");
  const impersonating = new KubeConfig();
  impersonating.loadFromOptions({
    clusters: kubeConfig.clusters,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
    users: kubeConfig.users.map((u) => ({ ...u, impersonateUser: REQUESTER })),
  });
  return impersonating.makeApiClient(CertificatesV1Api);
}

describe("the CSR stays pending when the cluster no longer vouches for it at merge", () => {
  it("the Node deleted between the PR and its merge (kubelet client certificate)", async () => {
    const h = await startHarness({
      files: { ".github/csr-gitops/policy.yaml": policyForAnyNodeClient() },
    });
    const admin = kubeClients("admin");
    const nodeName = uniqueName("gone-node");
    await admin.core.createNode({
      body: loadYaml<V1Node>(
        JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: nodeName } }),
      ),
    });
    const requester = await requesterCertificates();
    const csr = await requester.createCertificateSigningRequest({
      body: kubeletClientRequestBody(nodeName),
    });
    const name = csr.metadata?.name ?? "";
    const pr = await h.openPr(csr);
    await h.approve(pr.number, "alice", "bob");
    await admin.core.deleteNode({ name: nodeName });
    await mergeAs(h, pr);

    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["cluster-check-fails"]);
    const comments = (await h.comments(pr.number)).join("\n");
    expect(comments).toContain("### ⛔ Not approved");
    expect(comments).toContain(`node-client-node-not-found: no Node named`);
    expect(comments).toContain(nodeName);
    expect(h.metrics.get("refusal:cluster-check-fails")).toBe(1);
  });

  it("an IP SAN that is not one of the Node's addresses at merge (the addresses changed)", async () => {
    // worker-1's addresses are 10.0.0.11 (test/controller/harness.ts). The stand-in controller
    // opened the PR for 10.0.0.99 as if worker-1 had that address then: at merge it has not.
    const h = await startHarness();
    const csr = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: kubeletServingRequest(uniqueName("moved"), ["10.0.0.99"]).body,
    });
    const name = csr.metadata?.name ?? "";
    const pr = await h.openPr(csr);
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);

    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["cluster-check-fails"]);
    expect((await h.comments(pr.number)).join("\n")).toContain(
      'node-ip-not-node-address: IP SAN 10.0.0.99 is not an address of Node "worker-1"',
    );
  });

  it("a Node the app cannot read refuses rather than guesses", async () => {
    // The app's Node reads go through a client without the right to read Nodes (403).
    const app = kubeClients("app");
    const h = await startHarness({
      deps: {
        clusters: new Map([
          [
            "prod",
            {
              certificates: app.certificates,
              core: new Proxy(app.core, {
                get(target, prop, receiver) {
                  return prop === "readNode"
                    ? kubeClients("user").core.readNode.bind(kubeClients("user").core)
                    : (Reflect.get(target, prop, receiver) as unknown);
                },
              }),
            },
          ],
        ]),
      },
    });
    const csr = await h.createCsr("unreadable-node");
    const name = csr.metadata?.name ?? "";
    const pr = await h.openPr(csr);
    await h.approve(pr.number, "alice", "bob");
    await mergeAs(h, pr);

    await expectPending(h, name);
    expect(await refusalCodes(h, pr)).toEqual(["node-unreadable"]);
    expect((await h.comments(pr.number)).join("\n")).toContain('Node "worker-1" could not be read');
  });
});
