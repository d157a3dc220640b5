/**
 * `csr-gitops preflight` against the real apiserver: the app's least-privilege identity passes
 * every Kubernetes check, system:masters gets the over-privilege warning, a user without rights
 * fails each needed right with a fix. Then preflight as a process, configured by the environment
 * like serve, against the GitHub simulator over HTTP.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { DEFAULT_POLICY } from "../../src/core/policy/index.ts";
import { excessAccess, requiredAccess } from "../../src/preflight/kube-access.ts";
import { checkKubeAccess } from "../../src/preflight/kube-checks.ts";
import { startServer } from "../github-sim/server.ts";
import { APP_ID, newSim, OWNER, REPO } from "../github-sim/tests/sim-fixture.ts";
import { goodSeed } from "../preflight/preflight-seed.ts";
import { kubeClients, type Identity } from "../support/kube-clients.ts";

const root = join(import.meta.dirname, "..", "..");
const SIGNERS = Object.keys(DEFAULT_POLICY.signers);

async function kubeChecks(identity: Identity, signers: readonly string[] = SIGNERS) {
  return checkKubeAccess(
    "test",
    kubeClients(identity).kubeConfig,
    requiredAccess(signers, "csr-gitops"),
    excessAccess(signers),
  );
}

describe("preflight Kubernetes checks", () => {
  it("pass for the app's least-privilege identity, with no excess rights", async () => {
    const results = await kubeChecks("app");
    expect(results.filter((r) => r.status !== "pass")).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "may update certificates.k8s.io/certificatesigningrequests/approval",
        "may approve certificates.k8s.io/signers kubernetes.io/kubelet-serving",
        "may create events in namespace default",
        "may update coordination.k8s.io/leases in namespace csr-gitops",
        "no rights beyond what the app needs",
      ]),
    );
  });

  it("warn that system:masters has rights beyond what the app needs", async () => {
    const results = await kubeChecks("admin");
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    const warning = results.find((r) => r.status === "warn");
    expect(warning?.detail).toContain("* */* (every right on everything (cluster-admin))");
    expect(warning?.detail).toContain("get secrets");
    expect(warning?.detail).toContain("sign certificates.k8s.io/signers");
    expect(warning?.detail).toContain(
      "update certificates.k8s.io/certificatesigningrequests/status",
    );
    expect(warning?.fix).toContain("deploy/clusterrole.yaml");
  });

  it("fail every needed right, with a fix, for a user without rights", async () => {
    const results = await kubeChecks("user");
    const needed = requiredAccess(SIGNERS, "csr-gitops").length;
    const failures = results.filter((r) => r.status === "fail");
    expect(failures).toHaveLength(needed);
    for (const f of failures) expect(f.fix).toContain("deploy/clusterrole.yaml");
  });

  it("fail approve for a signer the policy names but the ClusterRole does not list", async () => {
    const results = await kubeChecks("app", [...SIGNERS, "example.com/internal"]);
    expect(results.filter((r) => r.status === "fail").map((r) => r.name)).toEqual([
      "may approve certificates.k8s.io/signers example.com/internal",
    ]);
  });
});

function runPreflight(env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, "src", "cli", "bin.ts"), "preflight"], {
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("csr-gitops preflight as a process", () => {
  it("exits 2 naming each missing setting", async () => {
    const run = await runPreflight({});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("CSR_GITOPS_AUDIT_REPO: is required");
  });

  it("exits 0 on a good setup and 1, with fixes, when the identity has no rights", async () => {
    const sim = await newSim(goodSeed());
    const github = await startServer(sim);
    onTestFinished(() => github.close());
    const keyPath = join(mkdtempSync(join(tmpdir(), "preflight-key-")), "app.pem");
    writeFileSync(keyPath, sim.appPrivateKey() ?? "", { mode: 0o600 });
    const env = (identity: Identity): Record<string, string> => ({
      APP_ID: String(APP_ID),
      PRIVATE_KEY_PATH: keyPath,
      WEBHOOK_SECRET: "preflight-process-secret-0123",
      GHE_HOST: new URL(github.url).host,
      GHE_PROTOCOL: "http",
      CSR_GITOPS_AUDIT_REPO: `${OWNER}/${REPO}`,
      CSR_GITOPS_CLUSTERS: `test=${identity}`,
      KUBECONFIG: inject("kubeServer").kubeconfigs[identity],
    });

    const good = await runPreflight(env("app"));
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain("✓ app installed on acme/csr-audit");
    expect(good.stdout).toContain("kubernetes: cluster test (context app)");
    expect(good.stdout).toContain("0 failed, 0 warnings.");

    const denied = await runPreflight(env("user"));
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain(
      "✗ may list certificates.k8s.io/certificatesigningrequests: denied; the controller watches CSRs",
    );
    expect(denied.stdout).toContain("fix: bind the identity to deploy/clusterrole.yaml");
  });
});
