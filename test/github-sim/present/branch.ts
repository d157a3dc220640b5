import type { GitCommitObject } from "../git/git-repository.ts";
import type { Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";
import { commit } from "./commit.ts";
import type { Urls } from "./urls.ts";

/**
 * GitHub's `branch-with-protection` shape (GET .../branches/{branch}). The `protection` field is
 * GitHub's summary form; the full rules are at `protection_url`.
 */
export function branch(
  state: SimState,
  repo: Repo,
  name: string,
  tip: GitCommitObject,
  urls: Urls,
): Record<string, unknown> {
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const rules = repo.protection.get(name);
  const checks = rules?.required_status_checks ?? [];
  return {
    name,
    commit: commit(state, repo, tip, urls),
    _links: {
      self: `${repoUrl}/branches/${name}`,
      html: `${urls.html}/${repo.owner}/${repo.name}/tree/${name}`,
    },
    protected: rules !== undefined,
    protection: {
      enabled: rules !== undefined,
      required_status_checks: {
        enforcement_level:
          checks.length === 0 ? "off" : rules?.enforce_admins === true ? "everyone" : "non_admins",
        contexts: [...checks],
        checks: checks.map((context) => ({ context, app_id: null })),
      },
    },
    protection_url: `${repoUrl}/branches/${name}/protection`,
  };
}
