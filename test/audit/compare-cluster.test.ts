/**
 * The comparison with a cluster as data: CSR objects shaped as the apiserver returns them (real
 * requests and a real certificate), against ledger entries. The scenarios that need the cluster's
 * own behaviour run against the real apiserver in test/audit/kube/.
 */
import { X509Certificate } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toClusterCsr } from "../../src/audit/cluster/cluster-csr.ts";
import { compareCluster } from "../../src/audit/cluster/compare-cluster.ts";
import type { LedgerEntry } from "../../src/audit/ledger-entry.ts";
import { toRecordFacts } from "../../src/audit/record-facts.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { buildRecord } from "../../src/core/record/record.ts";
import { kubeletClient, kubeletServing, makeCsrObject } from "../support/make-csr.ts";

const UID = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";

function entryFor(
  object: Record<string, unknown>,
  decision?: "approved" | "denied" | "refused",
): LedgerEntry {
  const decoded = decodeCsrObject(object);
  const built = buildRecord({
    cluster: "prod",
    recordedAt: new Date("2026-11-29T16:20:00Z"),
    decoded,
    specRequest: (object.spec as { request: string }).request,
    verdict: evaluate(DEFAULT_POLICY, decoded),
    policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: "0".repeat(40) },
    supersedes: [],
  });
  if (!built.ok) throw new Error(built.message);
  const record = toRecordFacts(built.record);
  const key = { cluster: "prod", name: record.name, uid: record.uid };
  return {
    key,
    id: `prod/${key.name}_${key.uid}`,
    recordPath: `clusters/prod/${key.name}_${key.uid}/record.yaml`,
    record,
    recordBlob: "a".repeat(40),
    recordCommit: "b".repeat(40),
    merged: { commit: "c".repeat(40), at: "2026-11-29T16:30:00.000Z" },
    decision:
      decision === undefined
        ? undefined
        : {
            facts: {
              kind: "decision",
              decision,
              cluster: "prod",
              csrName: key.name,
              csrUid: key.uid,
              requestSha256: record.requestSha256,
              recordPath: "",
              recordBlob: "a".repeat(40),
              pullRequest: 1,
              mergeCommit: "c".repeat(40),
              mergedBy: { login: "carol", id: 3 },
              approvedBy: [],
              requiredApprovals: 2,
              policyBlob: "builtin",
              closedBy: undefined,
              reason: undefined,
              refused: [],
              decidedAt: "2026-11-29T16:31:00.000Z",
            },
            commit: "d".repeat(40),
            at: "2026-11-29T16:31:00.000Z",
            counts: true,
          },
    certificate: undefined,
    notes: [],
  };
}

function approved(
  object: Record<string, unknown>,
  reason: string,
  certificate?: string,
): Record<string, unknown> {
  return {
    ...object,
    status: {
      conditions: [
        {
          type: "Approved",
          status: "True",
          reason,
          message: "",
          lastUpdateTime: "2026-11-29T16:32:00Z",
        },
      ],
      ...(certificate === undefined
        ? {}
        : { certificate: Buffer.from(certificate).toString("base64") }),
    },
  };
}

/** A self-signed certificate for a key that is not the request's (openssl, as any CA would). */
function foreignCertificate(): string {
  const dir = mkdtempSync(join(tmpdir(), "audit-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/CN=system:node:worker-1/O=system:nodes",
        "-days",
        "1",
        "-keyout",
        join(dir, "k"),
        "-out",
        join(dir, "c"),
      ],
      { stdio: "ignore" },
    );
    return readFileSync(join(dir, "c"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("comparison with a cluster", () => {
  it("an issued certificate for another key than the recorded one is an alarm", () => {
    const object = makeCsrObject({
      ...kubeletServing("worker-1"),
      name: "worker-1-serving",
      uid: UID,
    });
    const cert = foreignCertificate();
    expect(new X509Certificate(cert).subject).toContain("worker-1");
    const result = compareCluster(
      "prod",
      [entryFor(object, "approved")],
      [toClusterCsr("prod", approved(object, "CsrGitopsPullRequestMerged", cert))],
    );
    expect(result.findings.map((f) => [f.code, f.commit])).toEqual([
      ["issued-certificate-mismatch", "b".repeat(40)],
    ]);
    expect(result.phases.get(`prod/worker-1-serving_${UID}`)).toBe("issued");
  });

  it("AutoApproved is a notice only for a node's own client certificate; the same reason on another CSR is an alarm", () => {
    const nodeClient = makeCsrObject({
      ...kubeletClient("worker-1"),
      name: "node-csr-1",
      uid: UID,
    });
    const spoofed = makeCsrObject({
      ...kubeletClient("worker-1"),
      username: "mallory",
      groups: ["system:authenticated"],
      name: "node-csr-2",
      uid: "6b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3",
    });
    const result = compareCluster(
      "prod",
      [],
      [
        toClusterCsr("prod", approved(nodeClient, "AutoApproved")),
        toClusterCsr("prod", approved(spoofed, "AutoApproved")),
      ],
    );
    expect(result.findings.map((f) => [f.code, f.subject])).toEqual([
      ["kubelet-client-auto-approved", `prod/node-csr-1_${UID}`],
      ["approved-out-of-band", "prod/node-csr-2_6b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"],
    ]);
  });

  it("a CSR whose counting receipt says denied or refused, approved in the cluster, is an alarm", () => {
    const uids = ["7b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3", "8b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"];
    const [denied, refused] = uids.map((uid, i) =>
      makeCsrObject({ ...kubeletServing("worker-1"), name: `csr-${String(i)}`, uid }),
    );
    if (denied === undefined || refused === undefined) throw new Error("objects");
    const result = compareCluster(
      "prod",
      [entryFor(denied, "denied"), entryFor(refused, "refused")],
      [
        toClusterCsr("prod", approved(denied, "KubectlApprove")),
        toClusterCsr("prod", approved(refused, "KubectlApprove")),
      ],
    );
    expect(result.findings.map((f) => [f.code, f.severity, f.subject])).toEqual([
      ["approved-despite-denial", "alarm", `prod/csr-0_${uids[0] ?? ""}`],
      ["approved-despite-denial", "alarm", `prod/csr-1_${uids[1] ?? ""}`],
    ]);
  });
});
