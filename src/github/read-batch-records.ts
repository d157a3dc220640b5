/**
 * What a batch PR's approval needs beyond its one snapshot: each record as read at the head commit
 * (the snapshot holds the first one), and the team memberships of every reviewer in the teams
 * that own each record's path. Read once per merge; the decision for each CSR then stands alone.
 */
import {
  owningTeams,
  pathOwners,
  type RecordBlob,
  type RecordFacts,
  type TeamFact,
} from "../core/approval/index.ts";
import type { GitHubApi, RepoRef } from "./github-api.ts";
import { membershipOf, recordFacts, type PullSnapshot } from "./read-pull-snapshot.ts";

export interface BatchRecord {
  readonly path: string;
  readonly blobSha: string;
  readonly record: RecordFacts;
  /** Team facts for this record's owners (together with the snapshot's). */
  readonly teams: readonly TeamFact[];
}

export async function readBatchRecords(
  api: GitHubApi,
  repo: RepoRef,
  snapshot: PullSnapshot,
  records: readonly RecordBlob[],
): Promise<BatchRecord[]> {
  const facts = snapshot.facts;
  const reviewers = new Map(
    facts.reviews.flatMap((r) =>
      r.user !== null && ["APPROVED", "CHANGES_REQUESTED"].includes(r.state)
        ? [[r.user.id, r.user] as const]
        : [],
    ),
  );
  const known = new Map<string, TeamFact>(
    facts.teams.map((t) => [`${t.org}/${t.slug}/${String(t.userId)}`, t]),
  );
  const out: BatchRecord[] = [];
  for (const blob of records) {
    const record = await recordFacts(api, repo, blob.path, facts.pull.headSha);
    const owners =
      facts.codeowners === undefined || !record.ok
        ? []
        : (pathOwners(facts.codeowners.text, record.path) ?? []);
    const teams: TeamFact[] = [];
    for (const team of owningTeams(owners)) {
      for (const user of reviewers.values()) {
        const id = `${team.org}/${team.slug}/${String(user.id)}`;
        let fact = known.get(id);
        if (fact === undefined) {
          fact = await membershipOf(api, team, user);
          known.set(id, fact);
        }
        teams.push(fact);
      }
    }
    out.push({ path: blob.path, blobSha: blob.blobSha, record, teams });
  }
  return out;
}
