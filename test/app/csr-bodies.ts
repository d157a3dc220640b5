/** CSR objects the app scenarios create (real PKCS#10 requests). */
import { dumpYaml, loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { parse } from "yaml";
import { csrObject, uniqueName } from "../kube/csr-requests.ts";

/**
 * The kubelet-serving request worker-1 makes, with names the default policy allows (its own name
 * and an address; the default policy refuses names outside the node's own).
 */
export function kubeletServingRequest(
  name: string,
  ips: readonly string[] = ["10.0.0.11"],
): { body: V1CertificateSigningRequest } {
  return {
    body: csrObject({
      name,
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        key: "p256",
        subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        dns: ["worker-1"],
        ips: [...ips],
      },
    }),
  };
}

/** A kube-apiserver-client request for a person, named `cn`. */
export function userClientRequestBody(cn: string): V1CertificateSigningRequest {
  return csrObject({
    name: uniqueName("user"),
    signerName: "kubernetes.io/kube-apiserver-client",
    usages: ["digital signature", "client auth"],
    csr: { key: "p256", subject: { CN: cn, O: ["developers"] } },
  });
}

interface PlainCsr {
  spec: { request: string };
  status?: { conditions?: unknown[] };
}

function edit(
  csr: V1CertificateSigningRequest,
  change: (plain: PlainCsr) => void,
): V1CertificateSigningRequest {
  const plain = parse(dumpYaml(csr)) as PlainCsr;
  change(plain);
  return loadYaml<V1CertificateSigningRequest>(JSON.stringify(plain));
}

/** The same object holding another request (what a buggy or hostile record writer would record). */
export function withRequest(
  csr: V1CertificateSigningRequest,
  request: string,
): V1CertificateSigningRequest {
  return edit(csr, (p) => {
    p.spec.request = request;
  });
}

/** The object with a Denied condition, as an operator's `kubectl certificate deny` writes it. */
export function denied(csr: V1CertificateSigningRequest): V1CertificateSigningRequest {
  return edit(csr, (p) => {
    p.status = {
      conditions: [{ type: "Denied", status: "True", reason: "Operator", message: "no" }],
    };
  });
}

/** The object with an Approved condition written by someone else than the app. */
export function approvedBy(
  csr: V1CertificateSigningRequest,
  reason: string,
): V1CertificateSigningRequest {
  return edit(csr, (p) => {
    p.status = { conditions: [{ type: "Approved", status: "True", reason, message: "ok" }] };
  });
}

/** A kubelet client request for Node `node`, made by an administrator (not by the node). */
export function kubeletClientRequestBody(node: string): V1CertificateSigningRequest {
  return csrObject({
    name: uniqueName("kubelet-client"),
    signerName: "kubernetes.io/kube-apiserver-client-kubelet",
    usages: ["digital signature", "client auth"],
    csr: { key: "p256", subject: { CN: `system:node:${node}`, O: ["system:nodes"] } },
  });
}
