/**
 * deploy/ as an operator applies it: every resource kustomization.yaml lists (and the optional
 * NetworkPolicy component) is accepted by the real apiserver in a server-side dry-run apply; the
 * pod is locked down as the "restricted" Pod Security level its namespace enforces asks.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse } from "yaml";
import { kubeClients } from "../support/kube-clients.ts";

const deploy = join(import.meta.dirname, "..", "..", "deploy");

function objects(dir: string, list: "resources"): KubernetesObject[] {
  const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Record<
    string,
    string[]
  >;
  return (kustomization[list] ?? []).flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), "utf8")).map(
      (doc) => doc.toJS() as KubernetesObject,
    ),
  );
}

describe("deploy/ manifests", () => {
  const all = [
    ...objects(deploy, "resources"),
    ...objects(join(deploy, "optional", "network-policy"), "resources"),
  ];

  it("list the namespace, identity, roles, config, Deployment, Service and NetworkPolicy", () => {
    expect(all.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      "ClusterRole/csr-gitops",
      "ClusterRoleBinding/csr-gitops",
      "ConfigMap/csr-gitops",
      "Deployment/csr-gitops",
      "Namespace/csr-gitops",
      "NetworkPolicy/csr-gitops",
      "Role/csr-gitops-events",
      "Role/csr-gitops-leader-election",
      "RoleBinding/csr-gitops-events",
      "RoleBinding/csr-gitops-leader-election",
      "Service/csr-gitops",
      "ServiceAccount/csr-gitops",
    ]);
  });

  it("are each accepted by the apiserver (server-side apply, dry run)", async () => {
    const api = KubernetesObjectApi.makeApiClient(kubeClients("admin").kubeConfig);
    for (const object of all) {
      const applied = await api.patch(
        object,
        undefined,
        "All",
        "csr-gitops-test",
        true,
        PatchStrategy.ServerSideApply,
      );
      expect(applied.metadata?.name, `${object.kind}`).toBe(object.metadata?.name);
    }
  });

  it("run the container as non-root on a read-only root filesystem with limits and probes", () => {
    const deployment = all.find((o) => o.kind === "Deployment") as unknown as {
      spec: {
        template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
      };
    };
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container?.args).toEqual(["serve"]);
    expect(container?.resources).toMatchObject({ requests: { cpu: "50m" }, limits: {} });
    expect(container?.readinessProbe).toMatchObject({ httpGet: { path: "/readyz" } });
    expect(container?.livenessProbe).toMatchObject({ httpGet: { path: "/healthz" } });
  });
});
