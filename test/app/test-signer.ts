/**
 * A signer nothing in the test server signs for, so a scenario can act as it: the policy rule and
 * the RBAC the app needs to approve it, a throwaway CA (openssl), and writes to /status.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumpYaml, loadYaml, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { expect, onTestFinished } from "vitest";
import type { AppLog } from "../../src/app/app-deps.ts";
import { csrObject, uniqueName } from "../kube/csr-requests.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { grantClusterRole } from "./kube-rbac.ts";
import { R, startHarness, type Harness, type OpenedPr } from "./harness.ts";

export const SIGNER = "example.com/csr-gitops-test";

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

export interface Logged {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export function recordingLog(into: Logged[]): AppLog {
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      into.push({ level, message, fields });
    };
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

/** A throwaway CA in a temp dir, and openssl to sign with it. */
export function signer(): {
  dir: string;
  sign: (requestPem: string, extensions: string) => string;
} {
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

export const SERVING = "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth";

export async function approvedCsr(
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
export async function signerWrites(
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

export function requestPem(csr: V1CertificateSigningRequest): string {
  return Buffer.from(csr.spec.request, "base64").toString("utf8");
}
