/** Reading batch PRs as a reviewer would: which PRs hold which CSRs' records. */
import type { Octokit } from "@octokit/rest";
import { parseCsrPath } from "../../src/core/record/layout.ts";
import { until } from "../kube/until.ts";
import { filesOf, type Pull } from "./assertions.ts";
import { REPO_REF } from "./harness.ts";

export const BATCH_CONFIG =
  "apiVersion: csr-gitops/config-v1\nbatch:\n  maxSize: 10\n  windowSeconds: 3\n";

export interface PullWithUids {
  readonly pull: Pull;
  readonly uids: readonly string[];
  readonly files: readonly string[];
}

/** Every PR of the repo (any state) with the uids of the record files it adds. */
export async function pullsWithUids(gh: Octokit): Promise<PullWithUids[]> {
  const all = await gh.paginate(gh.rest.pulls.list, { ...REPO_REF, state: "all", per_page: 100 });
  const out: PullWithUids[] = [];
  for (const pull of all) {
    const files = await filesOf(gh, pull.number);
    const uids = files.flatMap((f) => {
      const parsed = parseCsrPath(f);
      return parsed.ok && parsed.value.kind === "record" ? [parsed.value.key.uid] : [];
    });
    out.push({ pull, uids, files });
  }
  return out;
}

/** Waits until every uid is in a complete (labelled) PR; returns every PR. */
export async function untilEachInCompletePull(
  gh: Octokit,
  uids: readonly string[],
  timeoutMs = 30_000,
): Promise<PullWithUids[]> {
  return until(
    `every one of ${String(uids.length)} CSRs in a complete pull request`,
    async () => {
      const pulls = await pullsWithUids(gh);
      const done = uids.every((uid) =>
        pulls.some(
          (p) => p.uids.includes(uid) && p.pull.labels.some((l) => l.name === "csr-gitops"),
        ),
      );
      return done ? pulls : undefined;
    },
    timeoutMs,
  );
}

/** How many PRs hold each uid's record. */
export function pullsPerUid(pulls: readonly PullWithUids[], uids: readonly string[]): number[] {
  return uids.map((uid) => pulls.filter((p) => p.uids.includes(uid)).length);
}
