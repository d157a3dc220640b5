/**
 * The audit repo snapshot with push webhooks wired (as `serve` runs the controller): reused while
 * the default branch stays put, with no head check on a timer; a push to the default branch makes
 * the next PR use the new config at once; a push webhook that never arrives is caught at the next
 * resync.
 */
import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record/record.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { completePull, fileAt, reviewer } from "./assertions.ts";
import { ensureWorker1, harness, REPO_REF, servingCsr, type Harness } from "./harness.ts";

const HEAD_PATH = `/repos/${REPO_REF.owner}/${REPO_REF.repo}/git/ref/heads/main`;

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

/** A reviewed change on the default branch (here committed directly) that switches the check off. */
async function switchOffAddressCheck(h: Harness): Promise<string> {
  const gh = reviewer(h.sim);
  const config = await fileAt(gh, ".github/csr-gitops.yml", "main");
  const res = await gh.rest.repos.createOrUpdateFileContents({
    ...REPO_REF,
    path: ".github/csr-gitops.yml",
    message: "Switch off the address check",
    content: Buffer.from("clusterChecks:\n  kubeletServing: { addresses: false }\n").toString(
      "base64",
    ),
    sha: config.sha,
  });
  return res.data.commit.sha ?? "";
}

function headReads(h: Harness): number {
  return h.requests.requests.filter(
    (r) => r.method === "GET" && decodeURIComponent(r.path) === HEAD_PATH,
  ).length;
}

describe("the audit repo snapshot, push webhooks wired", () => {
  it("makes no head check between resyncs, however old the last one", async () => {
    await ensureWorker1();
    const h = await harness();
    // The harness's snapshotMaxAgeMs is 0: without pushes every use would check the head.
    const controller = h.controller({ defaultBranchPushes: true });
    await controller.start();
    const first = await recordOfNewCsr(h);
    expect(headReads(h)).toBe(1);
    for (let i = 0; i < 3; i += 1) {
      const next = await recordOfNewCsr(h);
      expect(next.policy.baseCommit).toBe(first.policy.baseCommit);
    }
    expect(headReads(h)).toBe(1);

    // The resync checks it once more (the safety net), and only once for the PRs that follow.
    await controller.resync();
    await controller.idle();
    await recordOfNewCsr(h);
    await recordOfNewCsr(h);
    expect(headReads(h)).toBe(2);
  }, 120_000);

  it("a push to the default branch makes the next PR use the new config", async () => {
    await ensureWorker1();
    const h = await harness();
    const controller = h.controller({ defaultBranchPushes: true });
    await controller.start();
    const before = await recordOfNewCsr(h);
    expect(before.verdict.decision).toBe("deny");
    const moved = await switchOffAddressCheck(h);
    const readsBefore = h.requests.requests.filter((r) => r.method === "GET").length;

    // A push to another branch: the cached snapshot, no reads.
    controller.defaultBranchPushed("refs/heads/some-feature");
    const stale = await recordOfNewCsr(h);
    expect(stale.verdict.decision).toBe("deny");
    expect(stale.policy.baseCommit).toBe(before.policy.baseCommit);
    expect(h.requests.requests.filter((r) => r.method === "GET").length).toBe(readsBefore);

    // The push webhook for the default branch: the next PR is built on the new head.
    controller.defaultBranchPushed("refs/heads/main");
    const fresh = await recordOfNewCsr(h);
    expect(fresh.verdict).toMatchObject({ decision: "allow", reasons: [] });
    expect(fresh.policy.baseCommit).toBe(moved);
    expect(fresh.policy.configBlobSha).not.toBe(before.policy.configBlobSha);
  }, 120_000);

  it("a change whose push webhook was lost is used after the next resync", async () => {
    await ensureWorker1();
    const h = await harness();
    const controller = h.controller({ defaultBranchPushes: true });
    await controller.start();
    expect((await recordOfNewCsr(h)).verdict.decision).toBe("deny");
    const moved = await switchOffAddressCheck(h);

    // No push reaches the controller: until the resync it keeps the snapshot it has.
    expect((await recordOfNewCsr(h)).verdict.decision).toBe("deny");
    await controller.resync();
    await controller.idle();
    const after = await recordOfNewCsr(h);
    expect(after.verdict).toMatchObject({ decision: "allow", reasons: [] });
    expect(after.policy.baseCommit).toBe(moved);
  }, 120_000);
});
