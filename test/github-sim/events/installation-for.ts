import type { Installation, Repo } from "../state/model.ts";
import type { SimState } from "../state/sim-state.ts";

/** The app installation that covers a repository, if any. */
export function installationFor(state: SimState, repo: Repo): Installation | undefined {
  for (const inst of state.app?.installations.values() ?? []) {
    if (inst.account.toLowerCase() !== repo.owner.toLowerCase()) continue;
    if (
      inst.repositories === "all" ||
      inst.repositories.some((n) => n.toLowerCase() === repo.name.toLowerCase())
    ) {
      return inst;
    }
  }
  return undefined;
}
