/** Reading the audit repo as a reviewer would: through the API, as a collaborator. */
import type { Octokit } from "@octokit/rest";
import { singleBranch } from "../../src/core/record/layout.ts";
import { installRequestPolicy } from "../../src/github/request-policy.ts";
import type { GitHubSimulator } from "../github-sim/simulator.ts";
import { TOKENS, userOctokit } from "../github-sim/tests/sim-fixture.ts";
import { until } from "../kube/until.ts";
import { CLUSTER, REPO_REF } from "./harness.ts";

export function reviewer(sim: GitHubSimulator): Octokit {
  const gh = userOctokit(sim, TOKENS.alice);
  // Tests that lower the rate limits must not fail the reviewer's own reads: wait like the app.
  installRequestPolicy(gh, {
    sleep: (ms) => {
      sim.clock.advance(ms);
      return Promise.resolve();
    },
    now: () => sim.clock.now(),
    writeSpacingMs: 0,
  });
  return gh;
}

export function branchOf(uid: string): string {
  const branch = singleBranch({ cluster: CLUSTER, name: "x", uid });
  if (!branch.ok) throw new Error(branch.message);
  return branch.value;
}

export type Pull = Awaited<ReturnType<Octokit["rest"]["pulls"]["list"]>>["data"][number];

/** Every PR (any state) whose head is the CSR's branch. */
export async function pullsOf(gh: Octokit, uid: string): Promise<Pull[]> {
  const res = await gh.rest.pulls.list({
    ...REPO_REF,
    head: `${REPO_REF.owner}:${branchOf(uid)}`,
    state: "all",
    per_page: 100,
  });
  return res.data;
}

/** Waits for the CSR's PR to be complete (its labels are the last step) and returns it. */
export async function completePull(gh: Octokit, uid: string, timeoutMs = 20_000): Promise<Pull> {
  return until(
    `a complete pull request for CSR ${uid}`,
    async () => (await pullsOf(gh, uid)).find((p) => p.labels.some((l) => l.name === "csr-gitops")),
    timeoutMs,
  );
}

export async function checkRunsOf(gh: Octokit, sha: string) {
  const res = await gh.rest.checks.listForRef({ ...REPO_REF, ref: sha, filter: "all" });
  return res.data.check_runs;
}

export async function filesOf(gh: Octokit, number: number): Promise<string[]> {
  const res = await gh.rest.pulls.listFiles({ ...REPO_REF, pull_number: number });
  return res.data.map((f) => f.filename);
}

export async function fileAt(
  gh: Octokit,
  path: string,
  ref: string,
): Promise<{ text: string; sha: string }> {
  const res = await gh.rest.repos.getContent({ ...REPO_REF, path, ref });
  if (Array.isArray(res.data) || !("content" in res.data)) throw new Error(`${path} is not a file`);
  return { text: Buffer.from(res.data.content, "base64").toString("utf8"), sha: res.data.sha };
}
