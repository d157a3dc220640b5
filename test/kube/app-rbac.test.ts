import type { V1Lease } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubeClients } from "../support/kube-clients.ts";
import { apiRefusal } from "./api-status.ts";
import { csrObject, uniqueName } from "./csr-requests.ts";
import { asEvent, asLease } from "./kube-object.ts";

// deploy/clusterrole.yaml and deploy/role.yaml, as the app (user csr-gitops) experiences them.
function lease(name: string, namespace: string): V1Lease {
  return asLease({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace },
    spec: { holderIdentity: "csr-gitops-0", leaseDurationSeconds: 15 },
  });
}

describe("the app's roles", () => {
  it("create, read and renew its leader-election Lease in its namespace", async () => {
    const { coordination } = kubeClients("app");
    const name = uniqueName("csr-gitops-leader");
    const namespace = "csr-gitops";
    await coordination.createNamespacedLease({ namespace, body: lease(name, namespace) });
    const current = await coordination.readNamespacedLease({ name, namespace });
    expect(current.spec?.holderIdentity).toBe("csr-gitops-0");
    if (current.spec === undefined) throw new Error("Lease without spec");
    current.spec.holderIdentity = "csr-gitops-1";
    const renewed = await coordination.replaceNamespacedLease({ name, namespace, body: current });
    expect(renewed.spec?.holderIdentity).toBe("csr-gitops-1");
  });

  it("cannot list Leases, nor create one outside its namespace", async () => {
    const { coordination } = kubeClients("app");
    expect(
      (await apiRefusal(() => coordination.listNamespacedLease({ namespace: "csr-gitops" }))).code,
    ).toBe(403);
    const elsewhere = await apiRefusal(() =>
      coordination.createNamespacedLease({
        namespace: "default",
        body: lease(uniqueName("x"), "default"),
      }),
    );
    expect(elsewhere.code).toBe(403);
  });

  it("records an Event about a CSR in the default namespace, and nowhere else", async () => {
    const { core } = kubeClients("app");
    const csrEvent = (namespace: string) =>
      asEvent({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: uniqueName("csr-approved"), namespace },
        involvedObject: {
          apiVersion: "certificates.k8s.io/v1",
          kind: "CertificateSigningRequest",
          name: "csr-x",
        },
        reason: "CsrGitopsApproved",
        message: "Approved by a merged pull request",
        type: "Normal",
        source: { component: "csr-gitops" },
      });
    const event = await core.createNamespacedEvent({
      namespace: "default",
      body: csrEvent("default"),
    });
    expect(event.reason).toBe("CsrGitopsApproved");

    // Kubernetes records Events about cluster-scoped objects in "default": no other namespace.
    const elsewhere = await apiRefusal(() =>
      core.createNamespacedEvent({ namespace: "kube-system", body: csrEvent("kube-system") }),
    );
    expect(elsewhere.code).toBe(403);
  });

  it("cannot read Secrets or create CSRs", async () => {
    const { core, certificates } = kubeClients("app");
    expect(
      (await apiRefusal(() => core.listNamespacedSecret({ namespace: "csr-gitops" }))).code,
    ).toBe(403);
    expect((await apiRefusal(() => core.listSecretForAllNamespaces())).code).toBe(403);
    const create = await apiRefusal(() =>
      certificates.createCertificateSigningRequest({
        body: csrObject({
          name: uniqueName("x"),
          signerName: "kubernetes.io/kube-apiserver-client",
          usages: ["digital signature", "client auth"],
        }),
      }),
    );
    expect(create.code).toBe(403);
  });
});

describe("the plain user alice", () => {
  it("has no rights on CSRs until a test grants them", async () => {
    const { certificates } = kubeClients("user");
    const refusal = await apiRefusal(() => certificates.listCertificateSigningRequest());
    expect(refusal.code).toBe(403);
    expect(refusal.message).toContain(
      'User "alice" cannot list resource "certificatesigningrequests"',
    );
  });
});
