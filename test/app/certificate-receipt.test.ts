/**
 * The certificate receipt when the signer misbehaves. The CSRs are for a signer nothing in the
 * test server signs, so the test acts as that signer after the app's approval: it writes
 * status.certificate through the /status subresource (a certificate for another key, or with a
 * SAN nobody requested), or sets the Failed condition. Each is said on the PR, in the log, in an
 * Event and in a metric, and recorded in the receipt.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumpYaml, loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { onTestFinished, describe, expect, it, vi } from "vitest";
import type { AppLog } from "../../src/app/app-deps.ts";
import { certificatePath } from "../../src/core/record/layout.ts";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import { csrObject, uniqueName } from "../kube/csr-requests.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { grantClusterRole } from "./kube-rbac.ts";
import { R, startHarness, type Harness, type OpenedPr } from "./harness.ts";

vi.setConfig({ testTimeout: 120_000 });

const SIGNER = "example.com/csr-gitops-test";

/** The shipped policy plus a rule for the test's own signer: serving certificates under example.com. */
const POLICY = readFileSync("policy/default.yaml", "utf8").replace(
  /^signers:\n/m,
  `signers:
  ${SIGNER}:
    usages:
      allowed: ["digital signature", "server auth"]
      required: ["server auth"]
    subjectAltNames:
      required: true
      dnsNames: ["**.example.com"]
    keys:
      ecdsaCurves: ["P-256"]
`,
);

interface Logged {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

function recordingLog(into: Logged[]): AppLog {
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      into.push({ level, message, fields });
    };
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

/** A throwaway CA in a temp dir, and openssl to sign with it. */
function signer(): { dir: string; sign: (requestPem: string, extensions: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "csr-gitops-signer-"));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (...args: string[]): void => {
    execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  };
  run(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-subj",
    "/CN=csr-gitops test signer",
    "-days",
    "1",
  );
  return {
    dir,
    sign(requestPem, extensions) {
      writeFileSync(join(dir, "req.pem"), requestPem);
      writeFileSync(join(dir, "ext.cnf"), `[v3]\n${extensions}\n`);
      run(
        "x509",
        "-req",
        "-in",
        "req.pem",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        "4242",
        "-days",
        "1",
        "-extfile",
        "ext.cnf",
        "-extensions",
        "v3",
        "-out",
        "cert.pem",
      );
      return readFileSync(join(dir, "cert.pem"), "utf8");
    },
  };
}

const SERVING = "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth";

async function approvedCsr(
  log: Logged[],
): Promise<{ h: Harness; pr: OpenedPr; csr: V1CertificateSigningRequest }> {
  // An operator serving another signer adds it to the app's ClusterRole (deploy/clusterrole.yaml).
  await grantClusterRole(
    "csr-gitops-test-signer-approver",
    [
      {
        apiGroups: ["certificates.k8s.io"],
        resources: ["signers"],
        resourceNames: [SIGNER],
        verbs: ["approve"],
      },
    ],
    "csr-gitops",
  );
  const h = await startHarness({
    files: { ".github/csr-gitops/policy.yaml": POLICY },
    deps: { log: recordingLog(log) },
  });
  const created = await kubeClients("admin").certificates.createCertificateSigningRequest({
    body: csrObject({
      name: uniqueName("signer"),
      signerName: SIGNER,
      usages: ["digital signature", "server auth"],
      csr: { key: "p256", subject: { CN: "web.example.com" }, dns: ["web.example.com"] },
    }),
  });
  const pr = await h.openPr(created);
  await h.approve(pr.number, "alice", "bob");
  await h.sim.actions.merge(R, pr.number, "carol");
  await h.deliver();
  const csr = await h.csr(created.metadata?.name ?? "");
  expect((csr?.status?.conditions ?? []).map((c) => c.type)).toEqual(["Approved"]);
  if (csr === undefined) throw new Error("the CSR is gone");
  return { h, pr, csr };
}

/** Writes the signer's part of the status, as a signer does (the /status subresource). */
async function signerWrites(
  csr: V1CertificateSigningRequest,
  status: { certificate?: string; failed?: string },
): Promise<void> {
  const plain = JSON.parse(JSON.stringify(csr)) as {
    status: { certificate?: string; conditions: Record<string, unknown>[] };
  };
  if (status.certificate !== undefined)
    plain.status.certificate = Buffer.from(status.certificate).toString("base64");
  if (status.failed !== undefined)
    plain.status.conditions.push({
      type: "Failed",
      status: "True",
      reason: "SignerError",
      message: status.failed,
      lastUpdateTime: new Date().toISOString(),
    });
  await kubeClients("admin").certificates.replaceCertificateSigningRequestStatus({
    name: csr.metadata?.name ?? "",
    body: loadYaml<V1CertificateSigningRequest>(dumpYaml(plain)),
  });
}

async function certificateReceipt(h: Harness, pr: OpenedPr) {
  const path = certificatePath(pr.key);
  return parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
}

function requestPem(csr: V1CertificateSigningRequest): string {
  return Buffer.from(csr.spec.request, "base64").toString("utf8");
}

describe("the issued certificate is checked against the approved request", () => {
  it("a certificate for the approved request is recorded as matching (the control)", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    const ca = signer();
    await signerWrites(csr, {
      certificate: ca.sign(requestPem(csr), `${SERVING}\nsubjectAltName=DNS:web.example.com`),
    });
    await h.resync();
    expect(await certificateReceipt(h, pr)).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: true, mismatches: [], serial: "1092" },
    });
    expect(h.metrics.get("certificate-mismatch")).toBe(0);
  });

  it("a certificate with a SAN nobody requested is a mismatch", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    const ca = signer();
    await signerWrites(csr, {
      certificate: ca.sign(
        requestPem(csr),
        `${SERVING}\nsubjectAltName=DNS:web.example.com,DNS:admin.example.com`,
      ),
    });
    await h.resync();
    await h.resync();

    const receipt = await certificateReceipt(h, pr);
    expect(receipt).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: false },
    });
    const mismatches =
      receipt.ok && receipt.receipt.kind === "CertificateReceipt" ? receipt.receipt.mismatches : [];
    expect(mismatches.join("\n")).toContain("admin.example.com");
    const comments = (await h.comments(pr.number)).filter((c) =>
      c.includes("### ❌ Certificate does not match the request"),
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("admin.example.com");
    expect(h.metrics.get("certificate-mismatch")).toBe(1);
    expect(
      log.filter((l) => l.message === "the issued certificate does not match the request"),
    ).toHaveLength(1);
  });

  it("a certificate for another key is a mismatch", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    const ca = signer();
    execFileSync(
      "openssl",
      [
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "other.key",
        "-out",
        "other.csr",
        "-subj",
        "/CN=web.example.com",
      ],
      { cwd: ca.dir, stdio: "pipe" },
    );
    const other = readFileSync(join(ca.dir, "other.csr"), "utf8");
    await signerWrites(csr, {
      certificate: ca.sign(other, `${SERVING}\nsubjectAltName=DNS:web.example.com`),
    });
    await h.resync();

    expect(await certificateReceipt(h, pr)).toMatchObject({
      ok: true,
      receipt: { outcome: "issued", matchesRequest: false },
    });
    const comment = (await h.comments(pr.number)).find((c) =>
      c.includes("### ❌ Certificate does not match the request"),
    );
    expect(comment).toMatch(/public key/i);
    expect(h.metrics.get("certificate-mismatch")).toBe(1);
    expect(log.map((l) => l.message)).toContain(
      "the issued certificate does not match the request",
    );
  });

  it("the signer's Failed condition is reported and recorded", async () => {
    const log: Logged[] = [];
    const { h, pr, csr } = await approvedCsr(log);
    await signerWrites(csr, { failed: "the CA is offline" });
    await h.resync();
    await h.resync();

    expect(await certificateReceipt(h, pr)).toMatchObject({
      ok: true,
      receipt: { outcome: "failed", failure: "SignerError: the CA is offline" },
    });
    const comments = (await h.comments(pr.number)).filter((c) =>
      c.includes("### ❌ Signer failed"),
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("the CA is offline");
    expect(h.metrics.get("signer-failed")).toBe(1);
    expect(log.filter((l) => l.message === "the signer failed an approved CSR")).toHaveLength(1);
  });
});
