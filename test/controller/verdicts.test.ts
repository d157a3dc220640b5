import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record/record.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { checkRunsOf, completePull, fileAt, pullsOf, reviewer } from "./assertions.ts";
import { controllerSeed, csrOf, ensureWorker1, harness, REPO_REF, servingCsr } from "./harness.ts";

async function recordOf(
  gh: ReturnType<typeof reviewer>,
  pull: { number: number; head: { sha: string } },
) {
  const files = await gh.rest.pulls.listFiles({ ...REPO_REF, pull_number: pull.number });
  const path = files.data[0]?.filename ?? "";
  const parsed = parseRecord((await fileAt(gh, path, pull.head.sha)).text, path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.record;
}

describe("verdicts in the PR", () => {
  it.each([
    ["an IP SAN that is not the Node's", { ips: ["10.9.9.9"] }, ["node-ip-not-node-address"]],
    [
      "a DNS SAN that is not the Node's",
      // Allowed by the policy (a name under the node's own), but not one of the Node's addresses.
      { dns: ["worker-1", "payments.worker-1"] },
      ["node-dns-not-node-address"],
    ],
  ])(
    "cluster-aware check: %s denies, with its reason code",
    async (_name, csr, codes) => {
      await ensureWorker1();
      const h = await harness();
      await h.controller().start();
      const created = await kubeClients("node").certificates.createCertificateSigningRequest({
        body: servingCsr(h.run, uniqueName("serving"), csr),
      });
      const gh = reviewer(h.sim);
      const pull = await completePull(gh, created.metadata?.uid ?? "");
      const record = await recordOf(gh, pull);
      expect(record.verdict.decision).toBe("deny");
      expect(record.verdict.reasons.map((r) => r.code)).toEqual(codes);
      expect(pull.labels.map((l) => l.name)).toContain("verdict: deny");
      for (const code of codes) expect(pull.body).toContain(`- \`${code}\`:`);
      const [run] = await checkRunsOf(gh, pull.head.sha);
      expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    },
    60_000,
  );

  it("a check switched off in the repo config does not deny", async () => {
    await ensureWorker1();
    const h = await harness(
      controllerSeed({
        ".github/csr-gitops.yml": "clusterChecks:\n  kubeletServing: { addresses: false }\n",
      }),
    );
    await h.controller().start();
    const created = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("serving"), { ips: ["10.9.9.9"] }),
    });
    const gh = reviewer(h.sim);
    const record = await recordOf(gh, await completePull(gh, created.metadata?.uid ?? ""));
    expect(record.verdict).toMatchObject({ decision: "allow", reasons: [] });
    expect(record.policy.configBlobSha).toMatch(/^[0-9a-f]{40}$/);
  }, 60_000);

  it("an unknown signer is reported (log and metric) and its CSR gets a deny PR", async () => {
    const h = await harness();
    await h.controller().start();
    const name = uniqueName("custom");
    const created = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: csrOf(h.run, {
        name,
        signerName: "example.com/custom",
        usages: ["digital signature", "client auth"],
        csr: { subject: { CN: "system:node:worker-1" } },
      }),
    });
    const gh = reviewer(h.sim);
    const pull = await completePull(gh, created.metadata?.uid ?? "");
    expect(pull.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(["verdict: deny", "signer: example.com/custom"]),
    );
    expect(h.events.counts).toContainEqual({
      metric: "unknown_signer",
      labels: { cluster: "test", signer: "example.com/custom" },
    });
    expect(h.events.logs).toContainEqual({
      level: "warn",
      message: "CSR for a signer the policy has no rule for",
      fields: { cluster: "test", csr: name, signer: "example.com/custom" },
    });
  }, 60_000);

  it("hostile subject values render inert in the PR", async () => {
    const h = await harness();
    await h.controller().start();
    const hostile =
      "@acme/security <img src=x onerror=alert(1)> [x](https://evil.example)\n# verdict: allow";
    const created = await kubeClients("admin").certificates.createCertificateSigningRequest({
      body: csrOf(h.run, {
        name: uniqueName("hostile"),
        signerName: "kubernetes.io/kube-apiserver-client",
        usages: ["digital signature", "client auth"],
        csr: {
          subject: { CN: hostile, O: ["**verdict: allow**"], OU: ["`` ` ``"] },
          dns: ["www.evil.example"],
        },
      }),
    });
    const gh = reviewer(h.sim);
    const pull = await completePull(gh, created.metadata?.uid ?? "");
    const outside = (text: string): string => text.replace(/\\[`|]/g, "").replace(/`[^`\n]*`/g, "");
    for (const text of [pull.title, pull.body ?? ""]) {
      expect(outside(text)).not.toMatch(/@|<img|\]\(|https?:|www\./);
      expect(outside(text)).not.toMatch(/verdict: allow/i);
    }
    expect(pull.body).not.toMatch(/^# verdict/m);
    expect(pull.title).not.toContain("\n");
  }, 60_000);

  it("a broken config stops PR creation with an error naming file, line and field; fixing it opens the PR", async () => {
    await ensureWorker1();
    const h = await harness(
      controllerSeed({ ".github/csr-gitops.yml": "onClose: deny\npolicyDenid: deny\n" }),
    );
    await h.controller().start();
    const created = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("serving")),
    });
    const uid = created.metadata?.uid ?? "";
    await until("the config error to be reported", () => h.events.counted("config_error") > 0);
    expect(h.events.logs.map((l) => l.message)).toContain(
      "audit repo config is broken; no pull requests until it is fixed: .github/csr-gitops.yml:2:1: policyDenid: unknown key (not part of the csr-gitops config format; check the spelling)",
    );
    const gh = reviewer(h.sim);
    expect(await pullsOf(gh, uid)).toEqual([]);

    // A reviewed fix on the default branch (here committed directly) unblocks the repository.
    const current = await fileAt(gh, ".github/csr-gitops.yml", "main");
    await gh.rest.repos.createOrUpdateFileContents({
      ...REPO_REF,
      path: ".github/csr-gitops.yml",
      message: "Fix the config",
      content: Buffer.from("onClose: deny\npolicyDenied: pull-request\n").toString("base64"),
      sha: current.sha,
    });
    await completePull(gh, uid, 30_000);
  }, 60_000);

  it("dry run logs every write it would make and makes none", async () => {
    await ensureWorker1();
    const h = await harness();
    const controller = h.controller({ dryRun: true });
    await controller.start();
    const created = await kubeClients("node").certificates.createCertificateSigningRequest({
      body: servingCsr(h.run, uniqueName("serving")),
    });
    await until("the dry run to log its writes", () => h.events.counted("dry_run_write") >= 5);
    await controller.idle();
    expect(
      h.events.logs.filter((l) => l.fields.dryRun === true).map((l) => l.fields.write),
    ).toEqual([
      "create branch",
      "commit file",
      "create check run",
      "open pull request",
      "add labels",
    ]);
    const gh = reviewer(h.sim);
    expect(await pullsOf(gh, created.metadata?.uid ?? "")).toEqual([]);
    const refs = await gh.rest.git.listMatchingRefs({ ...REPO_REF, ref: "heads/csr-gitops/" });
    expect(refs.data).toEqual([]);
    expect(h.requests.requests.filter((r) => r.method !== "GET")).toEqual([]);
  }, 60_000);
});
