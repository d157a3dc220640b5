import type { ActorList } from "../seed/seed-schema.ts";
import type { BranchProtection, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { integration } from "./integration.ts";
import { team } from "./team.ts";
import type { Urls } from "./urls.ts";
import { simpleUser } from "./user.ts";

/** Users, teams and apps of a protection list, in GitHub's shapes (unknown names left out). */
function actors(state: SimState, repo: Repo, list: ActorList, urls: Urls) {
  return {
    users: list.users.flatMap((u) => {
      const a = state.findAccount(u);
      return a === undefined ? [] : [simpleUser(a, urls)];
    }),
    teams: list.teams.flatMap((slug) => {
      const t = state.teams.get(`${repo.owner}/${slug}`.toLowerCase());
      return t === undefined ? [] : [team(state, t, urls)];
    }),
    apps: list.apps.flatMap((slug) => (state.app?.slug === slug ? [integration(state, urls)] : [])),
  };
}

/** GitHub's `branch-protection` shape (GET/PUT .../branches/{branch}/protection). */
export function protectionBody(
  state: SimState,
  urls: Urls,
  repo: Repo,
  branch: string,
  p: BranchProtection,
): Record<string, unknown> {
  const u = `${urls.api}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`;
  const body: Record<string, unknown> = {
    url: u,
    enforce_admins: { url: `${u}/enforce_admins`, enabled: p.enforce_admins },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
  };
  if (p.required_status_checks.length > 0 || p.strict_status_checks) {
    body.required_status_checks = {
      url: `${u}/required_status_checks`,
      strict: p.strict_status_checks,
      contexts: [...p.required_status_checks],
      checks: p.required_status_checks.map((context) => ({ context, app_id: null })),
      contexts_url: `${u}/required_status_checks/contexts`,
    };
  }
  if (p.require_pull_request) {
    const reviews: Record<string, unknown> = {
      url: `${u}/required_pull_request_reviews`,
      dismiss_stale_reviews: p.dismiss_stale_reviews,
      require_code_owner_reviews: p.require_code_owner_reviews,
      required_approving_review_count: p.required_approving_review_count,
      require_last_push_approval: p.require_last_push_approval,
    };
    if (p.dismissal_restrictions !== undefined) {
      const d = `${u}/dismissal_restrictions`;
      reviews.dismissal_restrictions = {
        ...actors(state, repo, p.dismissal_restrictions, urls),
        url: d,
        users_url: `${d}/users`,
        teams_url: `${d}/teams`,
      };
    }
    const b = p.bypass_pull_request_allowances;
    if (b.users.length + b.teams.length + b.apps.length > 0) {
      reviews.bypass_pull_request_allowances = actors(state, repo, b, urls);
    }
    body.required_pull_request_reviews = reviews;
  }
  return body;
}
