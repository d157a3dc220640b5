/**
 * The people and machines of a run on the Kubernetes side: the admin who registers the Node
 * (with the addresses its kubelet's serving certificate names) and lets alice ask for certificates,
 * the kubelet of worker-1 asking for its serving certificate (allowed by the default policy), and
 * alice asking for a client certificate in the kubeadm:cluster-admins group (denied by it).
 */
import {
  setHeaderOptions,
  CertificatesV1Api,
  CoreV1Api,
  loadYaml,
  RbacAuthorizationV1Api,
  type V1CertificateSigningRequest,
  type V1ClusterRole,
  type V1ClusterRoleBinding,
  type V1Node,
} from "@kubernetes/client-node";
import { isKubeConflict } from "../../../src/kube/kube-errors.ts";
import { csrObject, newKeyPair, uniqueName } from "../../kube/csr-requests.ts";
import { kubeConfigOf, type KubeTarget } from "./kube-target.ts";

export const NODE_IP = "10.0.0.11";

function asNode(plain: Record<string, unknown>): V1Node {
  return loadYaml<V1Node>(JSON.stringify({ ...plain, apiVersion: "v1", kind: "Node" }));
}

/** Node worker-1 with its addresses (status is a subresource: created, then its status set). */
export async function registerNode(kube: KubeTarget): Promise<void> {
  const NODE = kube.nodeName;
  const core = kubeConfigOf(kube.actors.admin).makeApiClient(CoreV1Api);
  try {
    await core.createNode({ body: asNode({ metadata: { name: NODE } }) });
  } catch (error) {
    if (!isKubeConflict(error)) throw error;
  }
  // The same addresses as test/controller/harness.ts gives worker-1 on the shared test server.
  const addresses = [
    { type: "InternalIP", address: NODE_IP },
    { type: "Hostname", address: NODE },
    { type: "InternalDNS", address: `kubelet.${NODE}` },
  ];
  for (;;) {
    const node = await core.readNode({ name: NODE });
    if (JSON.stringify(node.status?.addresses ?? []) === JSON.stringify(addresses)) return;
    const plain = JSON.parse(JSON.stringify(node)) as Record<string, unknown>;
    try {
      await core.replaceNodeStatus({
        name: NODE,
        body: asNode({ ...plain, status: { addresses } }),
      });
      return;
    } catch (error) {
      if (!isKubeConflict(error)) throw error;
    }
  }
}

/** Lets user alice create CSRs (what a cluster grants people who may ask for certificates). */
export async function letAliceRequest(kube: KubeTarget): Promise<void> {
  const rbac = kubeConfigOf(kube.actors.admin).makeApiClient(RbacAuthorizationV1Api);
  const name = "csr-gitops-demo-csr-requester";
  try {
    await rbac.createClusterRole({
      body: loadYaml<V1ClusterRole>(
        JSON.stringify({
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name },
          rules: [
            {
              apiGroups: ["certificates.k8s.io"],
              resources: ["certificatesigningrequests"],
              verbs: ["create", "get", "list", "watch"],
            },
          ],
        }),
      ),
    });
  } catch (error) {
    if (!isKubeConflict(error)) throw error;
  }
  try {
    await rbac.createClusterRoleBinding({
      body: loadYaml<V1ClusterRoleBinding>(
        JSON.stringify({
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRoleBinding",
          metadata: { name },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
          subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice" }],
        }),
      ),
    });
  } catch (error) {
    if (!isKubeConflict(error)) throw error;
  }
}

function labelled(
  csr: V1CertificateSigningRequest,
  labels: Readonly<Record<string, string>>,
): V1CertificateSigningRequest {
  if (csr.metadata !== undefined) csr.metadata.labels = { ...labels };
  return csr;
}

/** The node's kubelet asks for its serving certificate for its own name and address. */
export function nodeServingCsr(
  NODE: string,
  labels: Readonly<Record<string, string>> = {},
): V1CertificateSigningRequest {
  return labelled(
    csrObject({
      name: uniqueName(`${NODE}-serving`),
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        key: "p256",
        keyPair: newKeyPair(),
        subject: { CN: `system:node:${NODE}`, O: ["system:nodes"] },
        dns: [NODE],
        ips: [NODE_IP],
      },
    }),
    labels,
  );
}

/** alice asks for a client certificate in kubeadm's cluster-admin group. */
export function adminClientCsr(
  labels: Readonly<Record<string, string>> = {},
): V1CertificateSigningRequest {
  return labelled(
    csrObject({
      name: uniqueName("alice-client"),
      signerName: "kubernetes.io/kube-apiserver-client",
      usages: ["digital signature", "client auth"],
      expirationSeconds: 86_400,
      csr: {
        key: "p256",
        keyPair: newKeyPair(),
        subject: { CN: "alice", O: ["kubeadm:cluster-admins"] },
      },
    }),
    labels,
  );
}

export type Requester = "node" | "user";

/** Creates a CSR as the node or as alice; returns it as the apiserver stored it (with its uid). */
export async function createCsr(
  kube: KubeTarget,
  who: Requester,
  body: V1CertificateSigningRequest,
): Promise<V1CertificateSigningRequest> {
  const api = kubeConfigOf(kube.actors[who]).makeApiClient(CertificatesV1Api);
  if (!kube.impersonate) return api.createCertificateSigningRequest({ body });
  const options =
    who === "node"
      ? setHeaderOptions(
          "Impersonate-Group",
          "system:nodes",
          setHeaderOptions("Impersonate-User", `system:node:${kube.nodeName}`),
        )
      : setHeaderOptions("Impersonate-User", "alice");
  return api.createCertificateSigningRequest({ body }, options);
}

/** The CSR as an admin reads it now (undefined when it is gone). */
export async function readCsr(
  kube: KubeTarget,
  name: string,
): Promise<V1CertificateSigningRequest | undefined> {
  const api = kubeConfigOf(kube.actors.admin).makeApiClient(CertificatesV1Api);
  try {
    return await api.readCertificateSigningRequest({ name });
  } catch {
    return undefined;
  }
}
