/**
 * Condition 1 of "When the app may approve": the PR is the app's own, from its own branch, into the
 * default branch, and holds exactly the app's one commit adding exactly the record blob(s) the app
 * wrote (as its check run's external_id says). Pure.
 */
import { batchId, parseAppBranch, parseCsrPath, recordPath } from "../record/layout.ts";
import { parseExternalId, type RecordBlob } from "./external-id.ts";
import type { Finding } from "./finding.ts";
import type { RefusalCode } from "./reason-codes.ts";
import type { ApprovalSnapshot, CommitFacts } from "./snapshot.ts";

/** GitHub's account that commits API and web-UI changes on github.com (the web-flow signature). */
export const WEB_FLOW_LOGIN = "web-flow";

type F = Finding<RefusalCode>;

function commitIsApps(commit: CommitFacts, snapshot: ApprovalSnapshot): boolean {
  const bot = snapshot.app.botId;
  const committer = commit.committer;
  const committerOk =
    committer !== null &&
    (committer.id === bot || committer.login.toLowerCase() === WEB_FLOW_LOGIN);
  return commit.verified && commit.author?.id === bot && committerOk;
}

function checkCommits(s: ApprovalSnapshot): F[] {
  if (s.commits.length !== 1)
    return [
      {
        code: "extra-commits",
        message: `the PR holds ${String(s.commits.length)} commits; the app makes exactly one`,
      },
    ];
  const [commit] = s.commits;
  if (commit?.sha !== s.pull.headSha || !commitIsApps(commit, s))
    return [
      {
        code: "head-not-app-commit",
        message: `head commit ${s.pull.headSha.slice(0, 12)} is not the app's own signed commit`,
      },
    ];
  return [];
}

/** The branch must be the one the app makes for exactly these records' CSRs. */
function checkBranch(s: ApprovalSnapshot, records: readonly RecordBlob[]): F[] {
  const refuse: F = {
    code: "not-app-branch",
    message: `head branch ${JSON.stringify(s.pull.headRef)} is not the app's branch for this CSR`,
  };
  const branch = parseAppBranch(s.pull.headRef);
  if (branch === undefined) return [refuse];
  const keys = records.map((r) => parseCsrPath(r.path));
  const uids: string[] = [];
  for (const key of keys) {
    if (!key.ok || key.value.kind !== "record" || key.value.key.cluster !== branch.cluster)
      return [refuse];
    uids.push(key.value.key.uid);
  }
  if (branch.kind === "single") return uids.length === 1 && uids[0] === branch.uid ? [] : [refuse];
  return batchId(uids) === branch.batchId ? [] : [refuse];
}

function checkFiles(s: ApprovalSnapshot, records: readonly RecordBlob[]): F[] {
  const findings: F[] = [];
  const expected = new Map(records.map((r) => [r.path, r.blobSha]));
  const names = s.files.map((f) => f.filename);
  const exact =
    s.files.length === records.length &&
    new Set(names).size === names.length &&
    s.files.every((f) => expected.has(f.filename) && f.status === "added");
  if (!exact)
    return [
      {
        code: "files-not-record",
        message: `the PR changes ${names.map((n) => JSON.stringify(n)).join(", ") || "nothing"}; the app added only ${records.map((r) => r.path).join(", ")}`,
      },
    ];
  for (const file of s.files)
    if (file.blobSha !== expected.get(file.filename))
      findings.push({
        code: "record-blob-mismatch",
        message: `${file.filename} is blob ${String(file.blobSha)}, the app wrote ${String(expected.get(file.filename))}`,
      });
  return findings;
}

function checkRecord(s: ApprovalSnapshot, records: readonly RecordBlob[]): F[] {
  const record = s.record;
  if (!record.ok)
    return [
      { code: "record-unreadable", message: `the record could not be read: ${record.error}` },
    ];
  const path = recordPath({ cluster: record.cluster, name: record.csrName, uid: record.csrUid });
  if (!path.ok || path.value !== record.path || !records.some((r) => r.path === record.path))
    return [
      {
        code: "record-path-mismatch",
        message: `the record at ${record.path} does not belong at that path or is not one the app wrote`,
      },
    ];
  return [];
}

/** Every reason the PR is not the app's untouched PR into the default branch. */
export function checkPull(s: ApprovalSnapshot): F[] {
  const findings: F[] = [];
  const p = s.pull;
  if (p.baseRef !== s.defaultBranch)
    findings.push({
      code: "wrong-base",
      message: `the PR targets ${JSON.stringify(p.baseRef)}, not the default branch ${JSON.stringify(s.defaultBranch)}`,
    });
  if (
    p.baseRepo.toLowerCase() !== s.repo.toLowerCase() ||
    p.headRepo?.toLowerCase() !== s.repo.toLowerCase()
  )
    findings.push({ code: "fork-head", message: `the PR's head is in ${String(p.headRepo)}` });
  if (p.author?.id !== s.app.botId)
    findings.push({
      code: "not-app-pull",
      message: `the PR was opened by ${p.author?.login ?? "a deleted account"}, not by ${s.app.botLogin}`,
    });
  const external =
    s.checkRunExternalId === null ? undefined : parseExternalId(s.checkRunExternalId);
  if (!external?.ok) {
    findings.push({
      code: "check-run-missing",
      message:
        external === undefined
          ? "the app's check run on the head commit is missing"
          : `the app's check run does not name the record blob: ${external.error}`,
    });
    findings.push(...checkCommits(s));
    return findings;
  }
  if (external.tampered)
    findings.push({
      code: "tampered",
      message: "someone other than the app pushed to this PR's branch",
    });
  findings.push(
    ...checkBranch(s, external.records),
    ...checkCommits(s),
    ...checkFiles(s, external.records),
    ...checkRecord(s, external.records),
  );
  return findings;
}
