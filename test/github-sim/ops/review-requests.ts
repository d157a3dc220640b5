/**
 * Review requests as GitHub keeps them (docs: "Review requests",
 * https://docs.github.com/en/rest/pulls/review-requests, and "About code owners",
 * https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
 * people and teams asked to review a PR, each request announced by a `pull_request`
 * `review_requested` webhook; code owners are requested when a non-draft PR opens or a draft is
 * marked ready for review.
 */
import { ownersOf, parseCodeowners } from "../../../src/core/github/codeowners.ts";
import { reviewRequestEvent } from "../events/payloads.ts";
import { GitHubHttpError } from "../http-error.ts";
import type { PullRequest, Repo, Team } from "../state/model.ts";
import { atLeast } from "../state/sim-state.ts";
import { codeownersAt } from "./merge-blockers.ts";
import { pullView } from "./pull-view.ts";
import type { SimContext } from "./sim-context.ts";

const REQUEST_DOCS =
  "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request";

/** GitHub's words for a refused request, as its API answers them (with this documentation link). */
function unprocessable(message: string): GitHubHttpError {
  return new GitHubHttpError(422, message, { documentationUrl: REQUEST_DOCS });
}

function notCollaborator(repo: Repo): GitHubHttpError {
  return unprocessable(
    `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`,
  );
}

export interface ReviewRequest {
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

/**
 * Requests reviews from people (read access or more, not the author) and teams of the repository's
 * org (with access to it); each new request sends `review_requested`. Already requested: no-op.
 */
export async function requestReviewers(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  req: ReviewRequest,
  sender: string,
): Promise<void> {
  const { state } = ctx;
  const users = req.users.map((login) => {
    if (login.toLowerCase() === pr.user.toLowerCase())
      throw unprocessable("Review cannot be requested from pull request author.");
    const account = state.findAccount(login);
    if (account === undefined || !atLeast(state.permissionOf(repo, account.login), "read"))
      throw notCollaborator(repo);
    return account.login;
  });
  const teams = req.teams.map((slug) => {
    const team = state.teams.get(`${repo.owner}/${slug}`.toLowerCase());
    if (team === undefined || state.teamPermission(repo, team) === undefined)
      throw notCollaborator(repo);
    return team;
  });
  for (const login of users) {
    if (pr.requestedReviewers.some((r) => r.toLowerCase() === login.toLowerCase())) continue;
    pr.requestedReviewers.push(login);
    await reviewRequestEvent(ctx, repo, pr, "review_requested", { user: login }, sender);
  }
  for (const team of teams) {
    if (pr.requestedTeams.some((t) => t.toLowerCase() === team.slug.toLowerCase())) continue;
    pr.requestedTeams.push(team.slug);
    await reviewRequestEvent(ctx, repo, pr, "review_requested", { team }, sender);
  }
}

/** Removes requests; each removed one sends `review_request_removed`. */
export async function removeRequestedReviewers(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
  req: ReviewRequest,
  sender: string,
): Promise<void> {
  for (const login of req.users) {
    const i = pr.requestedReviewers.findIndex((r) => r.toLowerCase() === login.toLowerCase());
    if (i === -1) continue;
    const [removed] = pr.requestedReviewers.splice(i, 1);
    if (removed !== undefined)
      await reviewRequestEvent(ctx, repo, pr, "review_request_removed", { user: removed }, sender);
  }
  for (const slug of req.teams) {
    const i = pr.requestedTeams.findIndex((t) => t.toLowerCase() === slug.toLowerCase());
    if (i === -1) continue;
    pr.requestedTeams.splice(i, 1);
    const team = ctx.state.teams.get(`${repo.owner}/${slug}`.toLowerCase());
    if (team !== undefined)
      await reviewRequestEvent(ctx, repo, pr, "review_request_removed", { team }, sender);
  }
}

/**
 * The code owners GitHub requests for a PR: owners (per CODEOWNERS on the base branch) of the files
 * it changes, a person only with write access and never the author, a team only when the team
 * itself has write access. Emails and unknown owners are skipped.
 */
export async function codeOwnersToRequest(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
): Promise<ReviewRequest> {
  const { state } = ctx;
  const codeowners = await codeownersAt(repo, `refs/heads/${pr.baseRef}`);
  if (codeowners === undefined) return { users: [], teams: [] };
  const { rules } = parseCodeowners(codeowners.text);
  const view = await pullView(state, repo, pr);
  const users = new Set<string>();
  const teams = new Map<string, Team>();
  for (const f of view.files) {
    for (const owner of ownersOf(rules, f.path) ?? []) {
      if (!owner.startsWith("@")) continue;
      const name = owner.slice(1);
      if (name.includes("/")) {
        const team = state.teams.get(name.toLowerCase());
        if (
          team?.org.toLowerCase() === repo.owner.toLowerCase() &&
          atLeast(state.teamPermission(repo, team), "write")
        )
          teams.set(team.slug.toLowerCase(), team);
        continue;
      }
      const account = state.findAccount(name);
      if (
        account !== undefined &&
        account.login.toLowerCase() !== pr.user.toLowerCase() &&
        atLeast(state.permissionOf(repo, account.login), "write")
      )
        users.add(account.login);
    }
  }
  return { users: [...users], teams: [...teams.values()].map((t) => t.slug) };
}

/** What GitHub does when a PR opens (not as a draft) or a draft becomes ready: request its code owners. */
export async function requestCodeOwners(
  ctx: SimContext,
  repo: Repo,
  pr: PullRequest,
): Promise<void> {
  if (pr.draft || pr.state !== "open") return;
  const owners = await codeOwnersToRequest(ctx, repo, pr);
  // A code owner who already reviewed is not asked again.
  const reviewed = new Set(pr.reviews.map((r) => r.user.toLowerCase()));
  await requestReviewers(
    ctx,
    repo,
    pr,
    { users: owners.users.filter((u) => !reviewed.has(u.toLowerCase())), teams: owners.teams },
    pr.user,
  );
}
