import type { BranchProtection, Repo } from "../state/model.ts";
import type { Urls } from "./urls.ts";

/** GitHub's `branch-protection` shape (GET/PUT .../branches/{branch}/protection). */
export function protectionBody(
  urls: Urls,
  repo: Repo,
  branch: string,
  p: BranchProtection,
): Record<string, unknown> {
  const u = `${urls.api}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`;
  return {
    url: u,
    required_status_checks: {
      url: `${u}/required_status_checks`,
      strict: false,
      contexts: [...p.required_status_checks],
      checks: p.required_status_checks.map((context) => ({ context, app_id: null })),
      contexts_url: `${u}/required_status_checks/contexts`,
    },
    required_pull_request_reviews: {
      url: `${u}/required_pull_request_reviews`,
      dismiss_stale_reviews: p.dismiss_stale_reviews,
      require_code_owner_reviews: p.require_code_owner_reviews,
      required_approving_review_count: p.required_approving_review_count,
      require_last_push_approval: false,
    },
    enforce_admins: { url: `${u}/enforce_admins`, enabled: true },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
  };
}
