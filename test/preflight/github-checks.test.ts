/**
 * preflight's GitHub checks against the simulator: a good setup passes every check, and each
 * broken setup fails the check that names it, with a fix.
 */
import { Probot } from "probot";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/preflight/check-result.ts";
import { checkGitHub } from "../../src/preflight/github-checks.ts";
import { APP_ID, newSim, OWNER, REPO } from "../github-sim/tests/sim-fixture.ts";
import { goodSeed, type SeedChange } from "./preflight-seed.ts";

async function preflight(change?: SeedChange) {
  const sim = await newSim(goodSeed(change));
  const probot = new Probot({
    appId: APP_ID,
    privateKey: sim.appPrivateKey() ?? "",
    log: pino({ level: "silent" }),
    request: { fetch: sim.fetch },
  });
  return checkGitHub({
    app: await probot.auth(),
    installation: (id) => probot.auth(id),
    repo: { owner: OWNER, repo: REPO },
    clusters: ["prod"],
  });
}

function failures(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status !== "pass");
}

function failed(results: readonly CheckResult[], name: string | RegExp): CheckResult {
  const hit = results.find(
    (r) => r.status === "fail" && (typeof name === "string" ? r.name === name : name.test(r.name)),
  );
  if (hit === undefined)
    throw new Error(`no failure ${String(name)} in ${JSON.stringify(results, null, 1)}`);
  expect(hit.fix).toBeTruthy();
  return hit;
}

describe("preflight GitHub checks", () => {
  it("pass on a correct setup, and report the policy's signers", async () => {
    const { results, signers } = await preflight();
    expect(failures(results)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        `app installed on ${OWNER}/${REPO}`,
        "main requires pull requests with code owner review",
        "csr-gitops may push receipts to main",
        "CODEOWNERS owns records, config, policy and itself",
        "team @acme/csr-approvers has write access to acme/csr-audit",
      ]),
    );
    expect(signers).toContain("kubernetes.io/kubelet-serving");
  });

  it("fail without CODEOWNERS", async () => {
    const { results } = await preflight({ files: { ".github/CODEOWNERS": null } });
    expect(failed(results, "CODEOWNERS present").fix).toContain("/.github/");
  });

  it("fail when CODEOWNERS does not own .github/", async () => {
    const { results } = await preflight({
      files: { ".github/CODEOWNERS": "/clusters/ @acme/csr-approvers\n" },
    });
    const hit = failed(results, "CODEOWNERS owns records, config, policy and itself");
    expect(hit.detail).toContain("/.github/csr-gitops.yml");
    expect(hit.detail).toContain("/.github/csr-gitops/policy.yaml");
    expect(hit.detail).not.toContain("/clusters/prod/");
  });

  it("fail when nobody owns the record folder of a configured cluster", async () => {
    const { results } = await preflight({
      files: {
        ".github/CODEOWNERS":
          "/.github/ @acme/csr-approvers\n/clusters/staging/ @acme/csr-approvers\n",
      },
    });
    const hit = failed(results, "CODEOWNERS owns records, config, policy and itself");
    expect(hit.detail).toContain("/clusters/prod/");
    expect(hit.detail).not.toContain("/.github/csr-gitops.yml");
  });

  it("fail on a user owner GitHub does not know", async () => {
    const { results } = await preflight({
      files: {
        ".github/CODEOWNERS":
          "/.github/ @acme/csr-approvers @nobody-here\n/clusters/ @acme/csr-approvers\n",
      },
    });
    expect(failed(results, "CODEOWNERS has no errors").detail).toBe(
      ".github/CODEOWNERS:1: Unknown owner",
    );
  });

  it("fail on CODEOWNERS errors and owners without write access", async () => {
    const { results } = await preflight({
      files: {
        ".github/CODEOWNERS": `/.github/ @acme/csr-approvers @acme/security\n/clusters/ @@bad\n`,
      },
    });
    expect(failed(results, "CODEOWNERS has no errors").detail).toBe(
      ".github/CODEOWNERS:1: Unknown owner; .github/CODEOWNERS:2: Invalid owner",
    );
    expect(failed(results, "team @acme/security has write access to acme/csr-audit").fix).toContain(
      "write",
    );
  });

  it("fail on a broken policy, naming file, line and field", async () => {
    const { results, signers } = await preflight({
      files: {
        ".github/csr-gitops/policy.yaml":
          "apiVersion: csr-gitops/policy-v1\nsigners:\n  example.com/x:\n    keys:\n      rsaMinBits: many\n",
      },
    });
    const hit = failed(results, ".github/csr-gitops/policy.yaml valid");
    expect(hit.detail).toMatch(/\.github\/csr-gitops\/policy\.yaml:5:\d+: .*rsaMinBits/);
    expect(signers).toContain("kubernetes.io/kubelet-serving");
  });

  it("fail on a broken config", async () => {
    const { results } = await preflight({
      files: { ".github/csr-gitops.yml": "requiredApprovals: 2\n" },
    });
    expect(failed(results, ".github/csr-gitops.yml valid").detail).toContain(
      ".github/csr-gitops.yml:1:1",
    );
  });

  it("fail without branch protection", async () => {
    const { results } = await preflight({ repo: (r) => ({ ...r, protection: {} }) });
    expect(failed(results, "main is protected").fix).toContain("Code Owners");
  });

  it("fail without code owner review, warn when admins may bypass, fail when the app may not push receipts", async () => {
    const { results } = await preflight({
      repo: (r) => ({ ...r, protection: { main: { required_approving_review_count: 1 } } }),
    });
    failed(results, "main requires pull requests with code owner review");
    failed(results, "csr-gitops may push receipts to main");
    expect(results.find((r) => r.name === "main protection applies to admins")?.status).toBe(
      "warn",
    );
  });

  it("fail when a permission or an event is missing", async () => {
    const { results } = await preflight({
      app: (a) => {
        const permissions = Object.fromEntries(
          Object.entries(a.permissions ?? {}).filter(([name]) => name !== "administration"),
        );
        return { ...a, permissions, events: ["pull_request", "pull_request_review", "check_run"] };
      },
    });
    expect(failed(results, "installation permissions as in app.yml").detail).toContain(
      "administration: read",
    );
    expect(failed(results, "installation subscribed to app.yml's events").detail).toContain("push");
  });

  it("fail when the app is not installed on the audit repository", async () => {
    const { results } = await preflight({ app: (a) => ({ ...a, installations: [] }) });
    failed(results, `app installed on ${OWNER}/${REPO}`);
  });
});
