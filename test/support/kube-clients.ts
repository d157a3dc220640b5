/**
 * @kubernetes/client-node clients for each identity of the test server (see docs/kube-server.md):
 * admin (system:masters), app (user csr-gitops, only the project's ClusterRole), node
 * (system:node:worker-1), user (alice, no rights).
 */
import { readFileSync } from "node:fs";
import {
  CertificatesV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
} from "@kubernetes/client-node";
import { inject } from "vitest";
import type { Identity, KubeServerState } from "../kube-server/launcher/state.ts";

export type { Identity };

export interface KubeClients {
  kubeConfig: KubeConfig;
  certificates: CertificatesV1Api;
  core: CoreV1Api;
  rbac: RbacAuthorizationV1Api;
  coordination: CoordinationV1Api;
}

export function kubeConfigFrom(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** Clients acting as `identity` on the server described by `server`. */
export function kubeClientsFor(
  server: Pick<KubeServerState, "kubeconfigs">,
  identity: Identity,
): KubeClients {
  const kubeConfig = kubeConfigFrom(server.kubeconfigs[identity]);
  return {
    kubeConfig,
    certificates: kubeConfig.makeApiClient(CertificatesV1Api),
    core: kubeConfig.makeApiClient(CoreV1Api),
    rbac: kubeConfig.makeApiClient(RbacAuthorizationV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
  };
}

/** Clients acting as `identity` on the test run's shared server (from the global setup). */
export function kubeClients(identity: Identity): KubeClients {
  return kubeClientsFor(inject("kubeServer"), identity);
}

/** The server's CA certificate (PEM): issued certificates chain to it. */
export function kubeServerCaPem(
  server: Pick<KubeServerState, "caFile"> = inject("kubeServer"),
): string {
  return readFileSync(server.caFile, "utf8");
}

/**
 * Compacts etcd up to its current revision through the server's admin endpoint, so that a watch
 * resumed from an older resourceVersion gets 410 Gone. Returns the compacted revision.
 */
export async function compactEtcd(
  server: Pick<KubeServerState, "adminUrl" | "adminTokenFile"> = inject("kubeServer"),
): Promise<string> {
  const token = readFileSync(server.adminTokenFile, "utf8").trim();
  const res = await fetch(`${server.adminUrl}/compact`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`compact etcd: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { revision: string };
  return body.revision;
}
