import type { SimContext } from "../ops/sim-context.ts";
import { pullView } from "../ops/pull-view.ts";
import { checkRun } from "../present/check-run.ts";
import { pullRequest } from "../present/pull-request.ts";
import { repository } from "../present/repository.ts";
import { review } from "../present/review.ts";
import { simpleUser } from "../present/user.ts";
import type { CheckRun, PullRequest, Repo, Review } from "../state/model.ts";
import { installationFor } from "./installation-for.ts";

/** The fields every repository event carries: repository, sender, and the installation when the app is installed. */
function common(ctx: SimContext, repo: Repo, sender: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    repository: repository(ctx.state, repo, ctx.urls, true),
    sender: simpleUser(ctx.state.account(sender), ctx.urls),
  };
  if (ctx.state.isOrg(repo.owner)) {
    const org = ctx.state.account(repo.owner);
    const u = `${ctx.urls.api}/orgs/${org.login}`;
    base.organization = {
      login: org.login,
      id: org.id,
      node_id: Buffer.from(`012:Organization${org.id}`).toString("base64"),
      url: u,
      repos_url: `${u}/repos`,
      events_url: `${u}/events`,
      hooks_url: `${u}/hooks`,
      issues_url: `${u}/issues`,
      members_url: `${u}/members{/member}`,
      public_members_url: `${u}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
      description: null,
    };
  }
  const inst = installationFor(ctx.state, repo);
  if (inst !== undefined) {
    base.installation = {
      id: inst.id,
      node_id: Buffer.from(`023:Installation${inst.id}`).toString("base64"),
    };
  }
  return base;
}

export type PullRequestAction =
  "opened" | "closed" | "reopened" | "synchronize" | "edited" | "ready_for_review";

export async function pullRequestEvent(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  action: PullRequestAction,
  sender: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const view = await pullView(ctx.state, repo, pr);
  ctx.emit("pull_request", {
    action,
    number: pr.number,
    pull_request: pullRequest(ctx.state, repo, pr, ctx.urls, view, view),
    ...extra,
    ...common(ctx, repo, sender),
  });
}

export async function reviewEvent(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  r: Review,
  action: "submitted" | "dismissed",
  sender: string,
): Promise<void> {
  const view = await pullView(ctx.state, repo, pr);
  const body = review(ctx.state, repo, pr, r, ctx.urls);
  // Webhook review states are lowercase, unlike the REST API's.
  body.state = r.state.toLowerCase();
  body.submitted_at = ctx.state.clock.iso(r.submittedAtMs);
  ctx.emit("pull_request_review", {
    action,
    review: body,
    pull_request: pullRequest(ctx.state, repo, pr, ctx.urls, view),
    ...common(ctx, repo, sender),
  });
}

export function checkRunEvent(
  ctx: SimContext,
  repo: Repo,
  run: CheckRun,
  action: "created" | "completed",
  sender: string,
): void {
  ctx.emit("check_run", {
    action,
    check_run: checkRun(ctx.state, repo, run, ctx.urls),
    ...common(ctx, repo, sender),
  });
}
