/**
 * `audit --cluster` against a real kube-apiserver (a server of this file's own, so no other test's
 * CSRs show up as out-of-band approvals): the approvals the app made with receipts are clean, an
 * approval made directly in the apiserver is an alarm, kube-controller-manager's approval of a
 * node's own client certificate is a notice, a receipt the cluster does not show is an alarm, and
 * `--watch` raises the out-of-band metric on the next run.
 */
import { X509Certificate, createHash } from "node:crypto";
import {
  CertificatesV1Api,
  dumpYaml,
  KubeConfig,
  type V1CertificateSigningRequest,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FORMATS } from "../../../src/audit/formats.ts";
import { readClone } from "../../../src/audit/git/read-clone.ts";
import { parseTrustedKeys } from "../../../src/audit/git/ssh-signature.ts";
import { certificatesApi, readCluster } from "../../../src/audit/cluster/read-cluster.ts";
import { watchAudit } from "../../../src/audit/watch/watch-audit.ts";
import type { CertificateReceipt } from "../../../src/core/record/receipt.ts";
import { runCli } from "../../support/run-cli.ts";
import { approve, csrObject, newKeyPair, uniqueName } from "../../kube/csr-requests.ts";
import { startDedicatedServer, type DedicatedServer } from "../../kube/dedicated-server.ts";
import { until } from "../../kube/until.ts";
import { AuditRepoBuilder, type PullRequest } from "../support/audit-repo-builder.ts";
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";

const CLUSTER = "kind-test";
let server: DedicatedServer;
let node: CertificatesV1Api;
let admin: CertificatesV1Api;
let app: CertificatesV1Api;
let appContext: string;

function api(path: string): { api: CertificatesV1Api; context: string } {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return { api: kc.makeApiClient(CertificatesV1Api), context: kc.getCurrentContext() };
}

beforeAll(async () => {
  server = await startDedicatedServer({});
  node = api(server.state.kubeconfigs.node).api;
  admin = api(server.state.kubeconfigs.admin).api;
  const a = api(server.state.kubeconfigs.app);
  app = a.api;
  appContext = a.context;
}, 120_000);

afterAll(async () => {
  await server.stop();
});

function plain(csr: V1CertificateSigningRequest): Record<string, unknown> {
  return parse(dumpYaml(csr)) as Record<string, unknown>;
}

/** worker-1's serving CSR for names the default policy allows (its own name and address). */
async function createServingCsr(): Promise<V1CertificateSigningRequest> {
  const name = uniqueName("worker-1-serving");
  await node.createCertificateSigningRequest({
    body: csrObject({
      name,
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        key: "p256",
        keyPair: newKeyPair(),
        subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        dns: ["worker-1"],
        ips: ["10.0.0.11"],
      },
    }),
  });
  return node.readCertificateSigningRequest({ name });
}

async function issued(name: string): Promise<X509Certificate> {
  const csr = await until(`the certificate of ${name}`, async () => {
    const current = await app.readCertificateSigningRequest({ name });
    return current.status?.certificate === undefined ? undefined : current;
  });
  return new X509Certificate(Buffer.from(csr.status?.certificate ?? "", "base64"));
}

/** What the app does after a merge: approve in the apiserver, then the receipts. */
async function approveWithReceipts(
  repo: AuditRepoBuilder,
  pr: PullRequest,
  merge: string,
): Promise<void> {
  const current = await app.readCertificateSigningRequest({ name: pr.key.name });
  await app.replaceCertificateSigningRequestApproval({ name: pr.key.name, body: approve(current) });
  repo.writeReceipt(repo.decision(pr, merge));
  const cert = await issued(pr.key.name);
  const receipt: CertificateReceipt = {
    kind: "CertificateReceipt",
    outcome: "issued",
    cluster: pr.key.cluster,
    csrName: pr.key.name,
    csrUid: pr.key.uid,
    record: pr.recordPath,
    serial: cert.serialNumber.toLowerCase().replace(/^0+/, ""),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    issuer: cert.issuer,
    certificateSha256: createHash("sha256").update(cert.raw).digest("hex"),
    matchesRequest: true,
    mismatches: [],
    failure: null,
    recordedAt: repo.tick().toISOString(),
  };
  repo.writeReceipt(receipt);
}

interface Report {
  findings: { code: string; severity: string; subject: string; commit?: string }[];
  ledger: { id: string; clusterPhase: string; decision: string }[];
}

async function audit(repo: AuditRepoBuilder): Promise<{ status: number; report: Report }> {
  const run = await runCli([
    "audit",
    "--repo",
    repo.dir,
    "--signing-key",
    repo.appKeyFile,
    "--cluster",
    CLUSTER,
    "--context",
    appContext,
    "--kubeconfig",
    server.state.kubeconfigs.app,
    "--output",
    "json",
  ]);
  expect(run.stderr).toBe("");
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

describe("audit against a live cluster", () => {
  it("is clean when every approval in the cluster has the app's receipts, and the ledger shows the phase", async () => {
    const repo = AuditRepoBuilder.create({ cluster: CLUSTER });
    try {
      const csr = await createServingCsr();
      const pr = repo.openRecordPrFor(plain(csr));
      const merge = repo.merge(pr);
      await approveWithReceipts(repo, pr, merge);
      const { status, report } = await audit(repo);
      expect(report.findings).toEqual([]);
      expect(status).toBe(0);
      expect(report.ledger.map((e) => [e.id, e.decision, e.clusterPhase])).toEqual([
        [`${CLUSTER}/${pr.key.name}_${pr.key.uid}`, "approved", "issued"],
      ]);

      // Then someone approves another CSR directly in the apiserver (kubectl certificate approve).
      const other = await createServingCsr();
      await admin.replaceCertificateSigningRequestApproval({
        name: other.metadata?.name ?? "",
        body: approveAs(
          other,
          "KubectlApprove",
          "This CSR was approved by kubectl certificate approve.",
        ),
      });
      const after = await audit(repo);
      expect(after.status).toBe(1);
      expect(after.report.findings.map((f) => [f.code, f.severity, f.subject])).toEqual([
        [
          "approved-out-of-band",
          "alarm",
          `${CLUSTER}/${other.metadata?.name ?? ""}_${other.metadata?.uid ?? ""}`,
        ],
      ]);
    } finally {
      repo.remove();
    }
  });

  it("reports a node's own client certificate approved by kube-controller-manager as a notice, not an alarm", async () => {
    const repo = AuditRepoBuilder.create({ cluster: CLUSTER });
    try {
      const name = uniqueName("worker-1-client");
      await node.createCertificateSigningRequest({
        body: csrObject({
          name,
          signerName: "kubernetes.io/kube-apiserver-client-kubelet",
          usages: ["digital signature", "client auth"],
          csr: {
            key: "p256",
            keyPair: newKeyPair(),
            subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
          },
        }),
      });
      await issued(name);
      const { report } = await audit(repo);
      const mine = report.findings.filter((f) => f.subject.startsWith(`${CLUSTER}/${name}_`));
      expect(mine.map((f) => [f.code, f.severity])).toEqual([
        ["kubelet-client-auto-approved", "notice"],
      ]);
    } finally {
      repo.remove();
    }
  });

  it("reports a receipt the cluster does not show, and a merged record whose CSR was approved without a receipt", async () => {
    const repo = AuditRepoBuilder.create({ cluster: CLUSTER });
    try {
      // A receipt says approved, but the CSR is still pending in the cluster.
      const pending = await createServingCsr();
      const prA = repo.openRecordPrFor(plain(pending));
      const receipt = repo.writeReceipt(repo.decision(prA, repo.merge(prA)));
      // A merged record whose CSR someone approved in the cluster, with no receipt (missing receipt).
      const missing = await createServingCsr();
      const prB = repo.openRecordPrFor(plain(missing));
      const mergeB = repo.merge(prB);
      await admin.replaceCertificateSigningRequestApproval({
        name: prB.key.name,
        body: approve(missing),
      });
      const { status, report } = await audit(repo);
      expect(status).toBe(1);
      const found = report.findings.map((f) => [f.code, f.commit ?? null, f.subject]);
      expect(found).toContainEqual([
        "receipt-not-applied",
        receipt,
        `${CLUSTER}/${prA.key.name}_${prA.key.uid}`,
      ]);
      expect(found).toContainEqual([
        "approved-out-of-band",
        null,
        `${CLUSTER}/${prB.key.name}_${prB.key.uid}`,
      ]);
      expect(found).toContainEqual([
        "record-merged-without-receipt",
        mergeB,
        `${CLUSTER}/${prB.key.name}_${prB.key.uid}`,
      ]);
    } finally {
      repo.remove();
    }
  });

  it("--watch raises the out-of-band metric on the run after an approval made in the apiserver", async () => {
    const repo = AuditRepoBuilder.create({ cluster: CLUSTER });
    const stop = new AbortController();
    try {
      const keys = parseTrustedKeys(readFileSync(repo.appKeyFile, "utf8"));
      if (!keys.ok) throw new Error(keys.message);
      const client = certificatesApi(appContext, server.state.kubeconfigs.app);
      if (!client.ok) throw new Error(client.message);
      const runs: string[] = [];
      let metricsUrl = "";
      const watching = watchAudit({
        settings: {
          clusters: [{ name: CLUSTER, context: appContext }],
          since: undefined,
          app: { slug: "csr-gitops", botUserId: undefined },
          formats: FORMATS,
          receiptGraceMs: 600_000,
          now: () => new Date(),
        },
        sources: {
          readHistory: async () => {
            const read = await readClone({ path: repo.dir, ref: "HEAD", trustedKeys: keys.keys });
            return read.ok ? { ok: true, value: read.history } : read;
          },
          readCluster: async (target) => {
            const read = await readCluster(target, client.api);
            return read.ok ? { ok: true, value: read.csrs } : read;
          },
        },
        intervalMs: 200,
        port: 0,
        host: "127.0.0.1",
        io: { stderr: new PassThrough() },
        signal: stop.signal,
        onRun: (_run, url) => {
          metricsUrl = url;
          runs.push(url);
        },
      });
      const metric = async (): Promise<string> => (await fetch(metricsUrl)).text();
      await until("a first run", () => runs.length > 0);
      const before = await metric();
      const oob = await createServingCsr();
      await admin.replaceCertificateSigningRequestApproval({
        name: oob.metadata?.name ?? "",
        body: approveAs(oob, "KubectlApprove", "approved by hand"),
      });
      const outOfBand =
        /^csr_gitops_audit_findings\{severity="alarm",code="approved-out-of-band"\} (\d+)$/m;
      // The series exists before any finding, so an alert rule sees it from the start.
      expect(before).toMatch(outOfBand);
      const seen = await until("the out-of-band metric", async () => {
        const text = await metric();
        const value = Number(outOfBand.exec(text)?.[1] ?? "0");
        return value > countOutOfBand(before) ? value : undefined;
      });
      expect(seen).toBe(countOutOfBand(before) + 1);
      stop.abort();
      expect(await watching).toBe(0);
    } finally {
      stop.abort();
      repo.remove();
    }
  });
});

function countOutOfBand(metrics: string): number {
  return Number(
    /^csr_gitops_audit_findings\{severity="alarm",code="approved-out-of-band"\} (\d+)$/m.exec(
      metrics,
    )?.[1] ?? "0",
  );
}

function approveAs(
  csr: V1CertificateSigningRequest,
  reason: string,
  message: string,
): V1CertificateSigningRequest {
  const approved = approve(csr);
  const condition = approved.status?.conditions?.at(-1);
  if (condition !== undefined) {
    condition.reason = reason;
    condition.message = message;
  }
  return approved;
}
