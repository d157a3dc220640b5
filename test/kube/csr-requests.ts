import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { dumpYaml, loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { parse } from "yaml";
import { makeCsrPem, type MakeCsrOptions } from "../support/make-csr.ts";

/** A CSR name no other test (or earlier run) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface CsrRequest {
  name: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number;
  csr?: MakeCsrOptions;
}

/** A fresh P-256 key pair, as kubelets generate. */
export function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

/**
 * client-node's API methods take instances of its model classes; its YAML loader builds them from
 * plain JSON, as it does for the apiserver's responses.
 */
function asCsr(plain: unknown): V1CertificateSigningRequest {
  return loadYaml<V1CertificateSigningRequest>(JSON.stringify(plain));
}

interface PlainCsr {
  status?: { conditions?: unknown[]; certificate?: string };
}

function toPlain(csr: V1CertificateSigningRequest): PlainCsr {
  return parse(dumpYaml(csr)) as PlainCsr;
}

/** A CertificateSigningRequest object around a real PKCS#10 request. */
export function csrObject(req: CsrRequest): V1CertificateSigningRequest {
  const pem = makeCsrPem(req.csr ?? {});
  return asCsr({
    apiVersion: "certificates.k8s.io/v1",
    kind: "CertificateSigningRequest",
    metadata: { name: req.name },
    spec: {
      request: Buffer.from(pem).toString("base64"),
      signerName: req.signerName,
      usages: req.usages,
      ...(req.expirationSeconds === undefined ? {} : { expirationSeconds: req.expirationSeconds }),
    },
  });
}

/** The kubelet-serving request worker-1 makes for its serving certificate. */
export function kubeletServingRequest(
  name: string,
  keyPair = newKeyPair(),
): { body: V1CertificateSigningRequest; keyPair: typeof keyPair } {
  const body = csrObject({
    name,
    signerName: "kubernetes.io/kubelet-serving",
    usages: ["digital signature", "server auth"],
    csr: {
      key: "p256",
      keyPair,
      subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
      dns: ["worker-1", "worker-1.cluster.example"],
      ips: ["10.0.0.11"],
    },
  });
  return { body, keyPair };
}

/** The CSR with the Approved condition csr-gitops adds (the object to PUT to /approval). */
export function approve(csr: V1CertificateSigningRequest): V1CertificateSigningRequest {
  const plain = toPlain(csr);
  plain.status = {
    ...plain.status,
    conditions: [
      ...(plain.status?.conditions ?? []),
      {
        type: "Approved",
        status: "True",
        reason: "CsrGitopsApproved",
        message: "Approved by a merged pull request",
      },
    ],
  };
  return asCsr(plain);
}

/** The CSR with a certificate in its status (what only a signer may write). */
export function withCertificate(
  csr: V1CertificateSigningRequest,
  certificate: string,
): V1CertificateSigningRequest {
  const plain = toPlain(csr);
  plain.status = { ...plain.status, certificate };
  return asCsr(plain);
}
