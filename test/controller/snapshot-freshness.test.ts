/**
 * The audit repo snapshot is reused while the default branch stays put, within the staleness
 * bound; a push to the default branch (what `serve` forwards from the app's push webhook) makes
 * the next PR use the new config at once.
 */
import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record/record.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { completePull, fileAt, reviewer } from "./assertions.ts";
import { ensureWorker1, harness, REPO_REF, servingCsr, type Harness } from "./harness.ts";

/** worker-1's serving request naming an IP that is not the Node's (the address check denies it). */
async function recordOfNewCsr(h: Harness) {
  const created = await kubeClients("node").certificates.createCertificateSigningRequest({
    body: servingCsr(h.run, uniqueName("serving"), { ips: ["10.9.9.9"] }),
  });
  const gh = reviewer(h.sim);
  const pull = await completePull(gh, created.metadata?.uid ?? "", 30_000);
  const files = await gh.rest.pulls.listFiles({ ...REPO_REF, pull_number: pull.number });
  const path = files.data[0]?.filename ?? "";
  const parsed = parseRecord((await fileAt(gh, path, pull.head.sha)).text, path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.record;
}

describe("the audit repo snapshot", () => {
  it("is reused until the default branch is pushed to, then re-read at once", async () => {
    await ensureWorker1();
    const h = await harness();
    // A staleness bound longer than the test: only a push makes the controller look again.
    const controller = h.controller({ snapshotMaxAgeMs: 3_600_000 });
    await controller.start();
    const before = await recordOfNewCsr(h);
    expect(before.verdict.decision).toBe("deny");

    // A reviewed change on the default branch (here committed directly) switches the check off.
    const gh = reviewer(h.sim);
    const config = await fileAt(gh, ".github/csr-gitops.yml", "main");
    await gh.rest.repos.createOrUpdateFileContents({
      ...REPO_REF,
      path: ".github/csr-gitops.yml",
      message: "Switch off the address check",
      content: Buffer.from("clusterChecks:\n  kubeletServing: { addresses: false }\n").toString(
        "base64",
      ),
      sha: config.sha,
    });
    const readsBefore = h.requests.requests.filter((r) => r.method === "GET").length;

    // Within the bound and without a push to the default branch: the cached snapshot, no reads.
    controller.defaultBranchPushed("refs/heads/some-feature");
    const stale = await recordOfNewCsr(h);
    expect(stale.verdict.decision).toBe("deny");
    expect(stale.policy.baseCommit).toBe(before.policy.baseCommit);
    expect(h.requests.requests.filter((r) => r.method === "GET").length).toBe(readsBefore);

    // The push webhook for the default branch: the next PR is built on the new head.
    controller.defaultBranchPushed("refs/heads/main");
    const fresh = await recordOfNewCsr(h);
    expect(fresh.verdict).toMatchObject({ decision: "allow", reasons: [] });
    const main = await gh.rest.git.getRef({ ...REPO_REF, ref: "heads/main" });
    expect(fresh.policy.baseCommit).toBe(main.data.object.sha);
    expect(fresh.policy.configBlobSha).not.toBe(before.policy.configBlobSha);
  }, 120_000);
});
