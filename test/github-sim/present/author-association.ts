import type { Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";

/** GitHub's author_association of a person with a repository. */
export function authorAssociation(state: SimState, repo: Repo, login: string): string {
  if (repo.owner.toLowerCase() === login.toLowerCase()) return "OWNER";
  if (state.isOrg(repo.owner) && state.isOrgMember(repo.owner, login)) return "MEMBER";
  if (repo.collaborators.has(login.toLowerCase())) return "COLLABORATOR";
  return "NONE";
}
