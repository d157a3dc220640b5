/**
 * Is this person a code owner of a path? Per the CODEOWNERS text given (read at the merge base):
 * named directly (logins compare case-insensitively), or an active member of an owning team
 * (child teams included, as GitHub's membership endpoint reports; slugs case-insensitive). Email
 * owners cannot be mapped to an account and never count. Pure.
 */
import { ownersOf, parseCodeowners, parseOwner, type Owner } from "../github/codeowners.ts";
import type { GitHubUser, TeamFact } from "./snapshot.ts";

export type OwnerStatus = "owner" | "team-membership-pending" | "not-code-owner";

/** The owners of `path`, parsed; undefined when nobody owns it. */
export function pathOwners(codeownersText: string, path: string): Owner[] | undefined {
  const owners = ownersOf(parseCodeowners(codeownersText).rules, path);
  if (owners === undefined) return undefined;
  return owners.map(parseOwner).filter((o): o is Owner => o !== undefined);
}

export function ownerStatus(
  user: GitHubUser,
  owners: readonly Owner[],
  teams: readonly TeamFact[],
): OwnerStatus {
  let pending = false;
  const login = user.login.toLowerCase();
  for (const owner of owners) {
    if (owner.kind === "user" && owner.login.toLowerCase() === login) return "owner";
    if (owner.kind !== "team") continue;
    const fact = teams.find(
      (t) =>
        t.userId === user.id &&
        t.org.toLowerCase() === owner.org.toLowerCase() &&
        t.slug.toLowerCase() === owner.slug.toLowerCase(),
    );
    if (fact?.state === "active") return "owner";
    if (fact?.state === "pending") pending = true;
  }
  return pending ? "team-membership-pending" : "not-code-owner";
}

/** The owning teams named for `path` (what the edge must look memberships up for). */
export function owningTeams(owners: readonly Owner[]): { org: string; slug: string }[] {
  return owners.flatMap((o) => (o.kind === "team" ? [{ org: o.org, slug: o.slug }] : []));
}
