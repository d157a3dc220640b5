/**
 * The product's core on real objects: CSRs created on the real apiserver by their requesters, read
 * back through @kubernetes/client-node (Date timestamps, model classes, no per-item kind in lists),
 * then decoded and judged by src/core with the built-in policy. Every verdict is asserted exactly.
 */
import { describe, expect, it } from "vitest";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { assess } from "../../src/core/assess.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY } from "../../src/core/policy/index.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { approve, csrObject, kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { until } from "./until.ts";

const app = kubeClients("app").certificates;

/** Reads a CSR back as the app would, and judges it. */
async function judged(name: string) {
  const read = await app.readCertificateSigningRequest({ name });
  return { read, ...assess({ kind: "object", value: read }, DEFAULT_POLICY) };
}

describe("real CSRs read back through client-node, decoded and judged by src/core", () => {
  it("a node's own kubelet-serving CSR: decoded as the apiserver recorded it, and allowed", async () => {
    const name = uniqueName("judge-serving");
    const body = csrObject({
      name,
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        dns: ["worker-1", "api.worker-1"],
        ips: ["10.0.0.11"],
      },
    });
    const created = await kubeClients("node").certificates.createCertificateSigningRequest({
      body,
    });

    const { read, decoded, verdict } = await judged(name);
    if (!decoded.ok) throw new Error(`decode failed: ${decoded.error.message}`);
    const { object, request } = decoded.csr;
    expect(object).toMatchObject({
      name,
      uid: created.metadata?.uid,
      resourceVersion: read.metadata?.resourceVersion,
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      expirationSeconds: undefined,
      phase: "Pending",
      conditions: [],
    });
    // The requester is what the apiserver recorded, not anything the body claimed.
    expect(object?.requester.username).toBe("system:node:worker-1");
    expect(object?.requester.groups).toEqual(["system:nodes", "system:authenticated"]);
    expect(object?.creationTimestamp).toBe(
      read.metadata?.creationTimestamp?.toISOString().replace(".000Z", "Z"),
    );
    expect(request.subject.commonName).toBe("system:node:worker-1");
    expect(request.subject.organizations).toEqual(["system:nodes"]);
    expect(request.subjectAltNames).toEqual([
      { type: "DNS", value: "worker-1" },
      { type: "DNS", value: "api.worker-1" },
      { type: "IP", value: "10.0.0.11", version: 4 },
    ]);
    expect(request.publicKey).toEqual({ algorithm: "ECDSA", curve: "P-256" });
    expect(request.signatureValid).toBe(true);

    expect(verdict).toEqual({
      decision: "allow",
      reasons: [],
      notes: [],
      requiredApprovals: 2,
      signerRule: "kubernetes.io/kubelet-serving",
    });
  });

  it("a node asking a serving certificate for another node's names is denied for exactly those", async () => {
    const name = uniqueName("judge-other-node");
    const body = csrObject({
      name,
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        subject: { CN: "system:node:worker-2", O: ["system:nodes"] },
        dns: ["worker-2"],
      },
    });
    await kubeClients("node").certificates.createCertificateSigningRequest({ body });
    const { verdict } = await judged(name);
    expect(verdict.decision).toBe("deny");
    // The CN and the DNS name are both another node's: "{node}" in the policy is the requester.
    expect(verdict.reasons.map((r) => [r.code, r.field])).toEqual([
      ["cn-not-requester-node", "request.subject.CN"],
      ["san-dns-not-allowed", "request.subjectAltNames[0]"],
    ]);
    expect(verdict.requiredApprovals).toBe(2);
  });

  it("a user client CSR with an RSA key and an email SAN: allowed with a lifetime, denied without", async () => {
    const create = async (expirationSeconds?: number) => {
      const name = uniqueName("judge-rsa-email");
      const body = csrObject({
        name,
        signerName: "kubernetes.io/kube-apiserver-client",
        usages: ["digital signature", "key encipherment", "client auth"],
        ...(expirationSeconds === undefined ? {} : { expirationSeconds }),
        csr: {
          key: "rsa3072",
          subject: { CN: "alice", O: ["developers"] },
          emails: ["alice@example.com"],
        },
      });
      await kubeClients("admin").certificates.createCertificateSigningRequest({ body });
      return judged(name);
    };
    const withLifetime = await create(3600);
    const { decoded } = withLifetime;
    expect(decoded.ok && decoded.csr.request.publicKey).toEqual({ algorithm: "RSA", bits: 3072 });
    expect(decoded.ok && decoded.csr.request.signatureAlgorithm).toBe("sha256WithRSAEncryption");
    expect(decoded.ok && decoded.csr.request.subjectAltNames).toEqual([
      { type: "email", value: "alice@example.com" },
    ]);
    expect(decoded.ok && decoded.csr.object?.requester.username).toBe("kube-server-admin");
    expect(withLifetime.verdict.reasons).toEqual([]);
    expect(withLifetime.verdict.signerRule).toBe("kubernetes.io/kube-apiserver-client");

    const without = await create();
    expect(without.verdict.decision).toBe("deny");
    expect(without.verdict.reasons.map((r) => r.code)).toEqual(["lifetime-missing"]);
  });

  it("the apiserver itself refuses a request whose signature does not verify", async () => {
    const body = csrObject({
      name: uniqueName("judge-forged"),
      signerName: "kubernetes.io/kube-apiserver-client",
      usages: ["client auth"],
      csr: { subject: { CN: "alice" }, badSignature: true },
    });
    await expect(
      kubeClients("admin").certificates.createCertificateSigningRequest({ body }),
    ).rejects.toMatchObject({ code: 422 });
  });

  it("a user client CSR with a system: name is denied; after approval it is not pending any more", async () => {
    const name = uniqueName("judge-client");
    const body = csrObject({
      name,
      signerName: "kubernetes.io/kube-apiserver-client",
      usages: ["digital signature", "client auth"],
      expirationSeconds: 3600,
      csr: { subject: { CN: "system:kube-scheduler", O: ["developers"] } },
    });
    await kubeClients("admin").certificates.createCertificateSigningRequest({ body });
    const before = await judged(name);
    expect(before.decoded.ok && before.decoded.csr.object?.expirationSeconds).toBe(3600);
    expect(before.verdict.reasons.map((r) => r.code)).toEqual(["cn-forbidden"]);

    await app.replaceCertificateSigningRequestApproval({ name, body: approve(before.read) });
    const issued = await until("the signer to issue the certificate", async () => {
      const csr = await app.readCertificateSigningRequest({ name });
      return csr.status?.certificate === undefined ? undefined : csr;
    });
    const after = assess({ kind: "object", value: issued }, DEFAULT_POLICY);
    expect(after.decoded.ok && after.decoded.csr.object?.phase).toBe("Issued");
    expect(after.verdict.reasons.map((r) => r.code).sort()).toEqual([
      "cn-forbidden",
      "not-pending",
    ]);
  });

  it("every item of a list call decodes (client-node gives items without kind)", async () => {
    const name = uniqueName("judge-list");
    const { body } = kubeletServingRequest(name);
    await kubeClients("node").certificates.createCertificateSigningRequest({ body });
    const list = await app.listCertificateSigningRequest();
    const item = list.items.find((i: V1CertificateSigningRequest) => i.metadata?.name === name);
    expect(item?.kind).toBeUndefined();
    const result = decodeCsrObject(item);
    expect(result.ok && result.csr.object?.name).toBe(name);
    for (const each of list.items) {
      const decoded = decodeCsrObject(each);
      expect(decoded.ok ? "ok" : decoded.error.code, each.metadata?.name).toBe("ok");
    }
  });
});
