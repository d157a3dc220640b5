/** A pull request of the simulator's state as the PR page shows it (test/support/pr-page.ts). */
import type { Repo, PullRequest } from "../../github-sim/state/model.ts";
import type { PrPage } from "../../support/pr-page.ts";

const at = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function prPageOf(repo: Repo, pr: PullRequest): PrPage {
  const timeline: { ms: number; item: PrPage["timeline"][number] }[] = [
    ...repo.comments
      .filter((c) => c.issueNumber === pr.number)
      .map((c) => ({
        ms: c.createdAtMs,
        item: {
          kind: "comment" as const,
          comment: { user: c.user, body: c.body, at: at(c.createdAtMs) },
        },
      })),
    ...pr.reviews
      .filter((r) => r.state !== "PENDING")
      .map((r) => ({
        ms: r.submittedAtMs,
        item: { kind: "review" as const, user: r.user, state: r.state, at: at(r.submittedAtMs) },
      })),
  ];
  if (pr.mergedAtMs !== undefined)
    timeline.push({
      ms: pr.mergedAtMs,
      item: {
        kind: "event",
        text: `${pr.mergedBy ?? "someone"} merged this pull request`,
        at: at(pr.mergedAtMs),
      },
    });
  else if (pr.closedAtMs !== undefined)
    timeline.push({
      ms: pr.closedAtMs,
      item: { kind: "event", text: "this pull request was closed", at: at(pr.closedAtMs) },
    });
  timeline.sort((a, b) => a.ms - b.ms);
  return {
    repo: `${repo.owner}/${repo.name}`,
    number: pr.number,
    title: pr.title,
    state: pr.mergedAtMs !== undefined ? "merged" : pr.state,
    author: pr.user,
    baseRef: pr.baseRef,
    headRef: pr.headRef,
    labels: [...pr.labels],
    body: pr.body ?? "",
    timeline: timeline.map((t) => t.item),
    checks: repo.checkRuns
      .filter((c) => c.headSha === pr.headSha)
      .map((c) => ({ name: c.name, conclusion: c.conclusion, title: c.output.title })),
  };
}
