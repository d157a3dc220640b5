import type { Repo } from "../state/model.ts";
import type { Urls } from "../present/urls.ts";

/** GitHub's `git-ref` shape. */
export function gitRef(repo: Repo, ref: string, sha: string, urls: Urls): Record<string, unknown> {
  const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    ref,
    node_id: Buffer.from(`03:Ref${repo.id}:${ref}`).toString("base64"),
    url: `${repoUrl}/git/${ref}`,
    object: { type: "commit", sha, url: `${repoUrl}/git/commits/${sha}` },
  };
}
