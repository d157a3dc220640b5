/**
 * A bot account, as GitHub shows another GitHub App's bot user: login `<slug>[bot]`, type "Bot"
 * (REST `simple-user`, webhook `user`), for scenarios where an app other than the one under test
 * reviews a PR. GitHub lets an app whose installation has `pull_requests: write` submit reviews,
 * approvals included, and an app's bot user can be given repository access like a person
 * (GitHub then accepts `@<slug>[bot]` in CODEOWNERS: "Unknown owner ... make sure
 * @<slug>[bot] exists and has write access" until it has). The bot reviews through
 * `sim.actions.review(repo, pull, "<slug>[bot]", "APPROVE")`, like a person.
 */
import type { Account, Permission } from "../state/model.ts";
import type { GitHubSimulator } from "../simulator.ts";

export interface BotAccess {
  readonly owner: string;
  readonly repo: string;
  readonly permission: Permission;
}

/** Adds the bot user `<slug>[bot]` (and its access to a repository); returns its account. */
export function addBotAccount(sim: GitHubSimulator, slug: string, access?: BotAccess): Account {
  const login = `${slug}[bot]`;
  if (sim.state.findAccount(login) !== undefined)
    throw new Error(`the simulator has an account ${login} already`);
  const account = sim.state.addAccount({
    login,
    type: "Bot",
    name: undefined,
    email: undefined,
    siteAdmin: false,
  });
  if (access !== undefined)
    sim.state
      .repo(access.owner, access.repo)
      .collaborators.set(login.toLowerCase(), access.permission);
  return account;
}
