/**
 * Which cached CSRs a new one supersedes, and which supersede one that went away, read from a
 * cache of real CSR objects: the identity is signer, requester and subject CN, and only pending
 * CSRs count. The identity of each object is decoded once (src/controller/supersedes.ts), so
 * these tests also pin that a changed CSR, which the informer delivers as a new object, is read
 * afresh: an approved CSR must never keep counting as pending.
 */
import { loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import type { ClusterView } from "../../src/controller/cluster-view.ts";
import {
  identityOf,
  pendingIdentityOf,
  supersededBy,
  supersedingOf,
} from "../../src/controller/supersedes.ts";
import { makeCsrObject, type MakeCsrObjectOptions } from "../support/make-csr.ts";
import { recordFor } from "../core/record/record-fixtures.ts";

const BOOTSTRAP = "system:bootstrap:abcdef";

/** A kubelet's client CSR as a bootstrap token asks for it, created at second `second`. */
function kubeletCsr(node: string, second: number, options: MakeCsrObjectOptions = {}) {
  return asCsr(
    makeCsrObject({
      key: "p256",
      subject: { CN: `system:node:${node}`, O: ["system:nodes"] },
      signerName: "kubernetes.io/kube-apiserver-client-kubelet",
      usages: ["digital signature", "client auth"],
      username: BOOTSTRAP,
      groups: ["system:bootstrappers", "system:authenticated"],
      creationTimestamp: new Date(Date.UTC(2026, 10, 30, 8, 0, second)).toISOString(),
      ...options,
    }),
  );
}

/** A plain object as the client's CSR type, as the informer hands it over. */
function asCsr(plain: unknown): V1CertificateSigningRequest {
  return loadYaml<V1CertificateSigningRequest>(JSON.stringify(plain));
}

const APPROVED = [{ type: "Approved", status: "True", reason: "csr-gitops", message: "merged" }];

/** A cache of these objects, delivered in this order. */
function clusterOf(csrs: readonly V1CertificateSigningRequest[]): ClusterView {
  const ranks = new Map(csrs.map((c, i) => [c.metadata?.uid ?? "", i]));
  return {
    name: "prod",
    cachedByUid: (uid) => csrs.find((c) => c.metadata?.uid === uid),
    cached: () => csrs,
    observedRank: (uid) => ranks.get(uid),
    readCsr: () => Promise.resolve(undefined),
    readNode: () => Promise.resolve(undefined),
  };
}

function asPlain(csr: V1CertificateSigningRequest): { spec: object; [key: string]: unknown } {
  return JSON.parse(JSON.stringify(csr)) as { spec: object; [key: string]: unknown };
}

const uidsOf = (csrs: readonly V1CertificateSigningRequest[]) => csrs.map((c) => c.metadata?.uid);

function identity(csr: V1CertificateSigningRequest): string {
  const id = identityOf(decodeCsrObject(csr));
  if (id === undefined) throw new Error("the fixture decodes");
  return id;
}

describe("supersededBy: the earlier pending CSRs of the same identity", () => {
  const first = kubeletCsr("worker-1", 1);
  const second = kubeletCsr("worker-1", 2);
  const otherNode = kubeletCsr("worker-2", 1);
  const approved = kubeletCsr("worker-1", 0, { conditions: APPROVED });
  const otherUser = kubeletCsr("worker-1", 0, { username: "system:bootstrap:zzzzzz" });
  const later = kubeletCsr("worker-1", 3);
  const cluster = clusterOf([first, second, otherNode, approved, otherUser, later]);

  it("names the earlier pending ones of the same node and token, not the rest", () => {
    expect(uidsOf(supersededBy(cluster, later, identity(later)))).toEqual(uidsOf([first, second]));
    expect(uidsOf(supersededBy(cluster, second, identity(second)))).toEqual(uidsOf([first]));
    expect(supersededBy(cluster, first, identity(first))).toEqual([]);
  });

  it("in the same second, the one the informer delivered first came first", () => {
    const a = kubeletCsr("worker-3", 5, { name: "a" });
    const b = kubeletCsr("worker-3", 5, { name: "b" });
    expect(uidsOf(supersededBy(clusterOf([a, b]), b, identity(b)))).toEqual(uidsOf([a]));
    expect(supersededBy(clusterOf([a, b]), a, identity(a))).toEqual([]);
  });
});

describe("pendingIdentityOf: decoded once per object, read afresh for a changed CSR", () => {
  it("a CSR approved since (a new object from the informer) no longer counts", () => {
    const pending = kubeletCsr("worker-1", 1);
    const later = kubeletCsr("worker-1", 2);
    expect(pendingIdentityOf(pending)).toBe(identity(pending));
    const nowApproved = asCsr({ ...asPlain(pending), status: { conditions: APPROVED } });
    expect(pendingIdentityOf(nowApproved)).toBeUndefined();
    expect(supersededBy(clusterOf([nowApproved, later]), later, identity(later))).toEqual([]);
    // The pending object, asked again, is still what it was.
    expect(pendingIdentityOf(pending)).toBe(identity(pending));
  });

  it("an object that does not decode has no identity, and is asked again with the same answer", () => {
    const plain = asPlain(kubeletCsr("worker-1", 1));
    const broken = asCsr({ ...plain, spec: { ...plain.spec, request: "bm90IGEgcmVxdWVzdA==" } });
    expect(pendingIdentityOf(broken)).toBeUndefined();
    expect(pendingIdentityOf(broken)).toBeUndefined();
  });
});

describe("supersedingOf: the pending CSRs that replace one that went away", () => {
  const goneOptions: MakeCsrObjectOptions = {
    key: "p256",
    subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
    signerName: "kubernetes.io/kube-apiserver-client-kubelet",
    usages: ["digital signature", "client auth"],
    username: BOOTSTRAP,
    groups: ["system:bootstrappers", "system:authenticated"],
    creationTimestamp: "2026-11-30T08:00:02.000Z",
  };
  const gone = recordFor(goneOptions);

  it("names the pending ones of its identity created in the same second or later", () => {
    const sameSecond = kubeletCsr("worker-1", 2);
    const newer = kubeletCsr("worker-1", 4);
    const older = kubeletCsr("worker-1", 1);
    const otherNode = kubeletCsr("worker-2", 4);
    const otherToken = kubeletCsr("worker-1", 4, { username: "system:bootstrap:zzzzzz" });
    const otherSigner = kubeletCsr("worker-1", 4, {
      signerName: "kubernetes.io/kube-apiserver-client",
    });
    const approved = kubeletCsr("worker-1", 4, { conditions: APPROVED });
    const cluster = clusterOf([
      older,
      sameSecond,
      newer,
      otherNode,
      otherToken,
      otherSigner,
      approved,
    ]);
    expect(uidsOf(supersedingOf(cluster, gone))).toEqual(uidsOf([sameSecond, newer]));
  });

  it("a record whose request did not decode is superseded by nothing", () => {
    const undecoded = { ...gone, request: { ...gone.request, decoded: null } };
    expect(supersedingOf(clusterOf([kubeletCsr("worker-1", 4)]), undecoded)).toEqual([]);
  });
});
