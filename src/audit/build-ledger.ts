/**
 * Builds the ledger from the audit repository's history and verifies the history itself
 * (docs/audit.md lists every check). Pure: the history was read by git/ or github/, the formats
 * are parsed by src/core/record through `Formats`.
 */
import { parseCsrPath, type CsrKey } from "../core/record/layout.ts";
import { checkAppCommit, type AppIdentity } from "./app-identity.ts";
import { CodeownersHistory } from "./codeowners-history.ts";
import type {
  CertificateReceiptFacts,
  DecisionReceiptFacts,
  Formats,
  ReceiptFacts,
  RecordFacts,
} from "./facts.ts";
import { finding, type Finding, type FindingCode } from "./finding.ts";
import type { AuditHistory, HistoryCommit } from "./history.ts";
import { entryId, type LedgerEntry, type ReceiptView } from "./ledger-entry.ts";
import { checkRecord } from "./check-record.ts";
import { checkApprovals } from "./check-approvals.ts";
import type { RecordCache } from "./record-cache.ts";

export interface LedgerOptions {
  readonly app: AppIdentity;
  readonly formats: Formats;
  /** Now, for the grace period of merged records that have no receipt yet. */
  readonly now: Date;
  /** How long after a merge a missing receipt is not yet a finding (the app may still be working). */
  readonly receiptGraceMs: number;
  /** Parsed records by blob SHA, filled as records are parsed (see record-cache.ts). */
  readonly recordCache?: RecordCache | undefined;
}

export interface Ledger {
  readonly entries: readonly LedgerEntry[];
  readonly findings: readonly Finding[];
}

interface MutableEntry {
  key: CsrKey;
  recordPath: string;
  record: RecordFacts | undefined;
  recordBlob: string | undefined;
  recordCommit: string | undefined;
  merged: { commit: string; at: string } | undefined;
  decisions: ReceiptView<DecisionReceiptFacts>[];
  certificates: ReceiptView<CertificateReceiptFacts>[];
  notes: string[];
}

const RECEIPT_MARK = /^csr-gitops-receipt:/im;

/** The receipt file the commit adds must hold exactly the facts of its trailers. */
function receiptFileProblem(
  commit: HistoryCommit,
  facts: ReceiptFacts,
  blobs: ReadonlyMap<string, string>,
  formats: Formats,
  cache: RecordCache | undefined,
): string | undefined {
  const file = facts.kind === "decision" ? "decision.yaml" : "certificate.yaml";
  const folder = facts.recordPath.slice(0, facts.recordPath.lastIndexOf("/") + 1);
  const added = commit.changes.find((c) => c.path === `${folder}${file}` && c.status === "A");
  if (added?.newBlob === undefined) return `the receipt commit does not add ${folder}${file}`;
  let parsed = cache?.receipts.get(added.newBlob);
  if (parsed === undefined) {
    const text = blobs.get(added.newBlob);
    if (text === undefined) return `${folder}${file} cannot be read`;
    parsed = formats.parseReceiptFile(text);
    cache?.receipts.set(added.newBlob, parsed);
  }
  if (!parsed.ok) return `${folder}${file}: ${parsed.message}`;
  if (JSON.stringify(parsed.value) !== JSON.stringify(facts))
    return `${folder}${file} and the commit's trailers disagree`;
  return undefined;
}

export function buildLedger(history: AuditHistory, options: LedgerOptions): Ledger {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  /** Adds a finding once: a merge shows again what its branch's commits changed. */
  const report = (
    code: FindingCode,
    commit: HistoryCommit | undefined,
    subject: string,
    detail: string,
    dedupe = `${code}\0${subject}\0${detail}`,
  ): void => {
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    findings.push(
      finding(code, { commit: commit?.sha, subject, detail, at: commit?.committer.date }),
    );
  };

  const codeowners = new CodeownersHistory(history.blobs);
  const entries = new Map<string, MutableEntry>();
  const entryFor = (key: CsrKey, recordPath: string): MutableEntry => {
    const id = entryId(key);
    let entry = entries.get(id);
    if (entry === undefined) {
      entry = {
        key,
        recordPath,
        record: undefined,
        recordBlob: undefined,
        recordCommit: undefined,
        merged: undefined,
        decisions: [],
        certificates: [],
        notes: [],
      };
      entries.set(id, entry);
    }
    return entry;
  };
  const indexOf = new Map<string, number>();
  const receipts: { commit: HistoryCommit; index: number }[] = [];

  for (const [index, commit] of history.commits.entries()) {
    indexOf.set(commit.sha, index);
    codeowners.add(commit);
    let addsReceiptFile = false;
    for (const change of commit.changes) {
      if (!change.path.startsWith("clusters/")) continue;
      const parsed = parseCsrPath(change.path);
      if (!parsed.ok) {
        if (change.status !== "D")
          report(
            "unexpected-file",
            commit,
            change.path,
            parsed.message,
            `unexpected\0${change.path}`,
          );
        continue;
      }
      const { key, kind } = parsed.value;
      if (kind !== "record") {
        if (change.status === "A") addsReceiptFile = true;
        else
          report(
            "receipt-trailers-invalid",
            commit,
            entryId(key),
            `${change.path} was ${change.status === "D" ? "deleted" : "changed"}: receipts are written once`,
            `receipt-file\0${change.path}\0${change.newBlob ?? "deleted"}`,
          );
        continue;
      }
      const entry = entryFor(key, change.path);
      const where = commit.sha.slice(0, 12);
      switch (change.status) {
        case "A":
          if (entry.recordBlob === undefined) {
            entry.recordBlob = change.newBlob;
            entry.recordCommit = commit.sha;
          } else if (entry.recordBlob !== change.newBlob) {
            report(
              "record-rewritten",
              commit,
              entryId(key),
              `record added again with other content (blob ${change.newBlob ?? ""}, first ${entry.recordBlob})`,
              `rewritten\0${change.path}\0${change.newBlob ?? ""}`,
            );
          }
          if (commit.firstParent && entry.merged === undefined)
            entry.merged = { commit: commit.sha, at: commit.committer.date };
          break;
        case "M":
        case "T":
          report(
            "record-rewritten",
            commit,
            entryId(key),
            `record changed in ${where} (blob ${change.oldBlob ?? ""} to ${change.newBlob ?? ""})`,
            `rewritten\0${change.path}\0${change.newBlob ?? ""}`,
          );
          if (commit.firstParent && entry.merged === undefined)
            entry.merged = { commit: commit.sha, at: commit.committer.date };
          break;
        case "D":
          report(
            "record-deleted",
            commit,
            entryId(key),
            `record deleted in ${where}`,
            `deleted\0${change.path}`,
          );
          break;
      }
    }
    if (RECEIPT_MARK.test(commit.message) || addsReceiptFile) receipts.push({ commit, index });
  }

  for (const entry of entries.values()) {
    if (entry.recordBlob === undefined) continue;
    const checked = checkRecord(
      entry.key,
      entry.recordBlob,
      history.blobs.get(entry.recordBlob),
      options.formats,
      options.recordCache,
    );
    if (checked.ok) entry.record = checked.record;
    else {
      const at = history.commits[indexOf.get(entry.recordCommit ?? "") ?? -1];
      report(checked.code, at, entryId(entry.key), checked.detail);
    }
  }

  for (const { commit, index } of receipts) {
    const parsed = options.formats.parseReceipt(commit.message);
    if (parsed?.ok !== true) {
      report(
        "receipt-trailers-invalid",
        commit,
        commit.sha.slice(0, 12),
        parsed === undefined
          ? "adds a receipt file but its message has no receipt trailers"
          : parsed.message,
      );
      continue;
    }
    const facts = parsed.value;
    const fileProblem = receiptFileProblem(
      commit,
      facts,
      history.blobs,
      options.formats,
      options.recordCache,
    );
    if (fileProblem !== undefined)
      report("receipt-trailers-invalid", commit, commit.sha.slice(0, 12), fileProblem);
    const path = parseCsrPath(facts.recordPath);
    if (!path.ok || path.value.kind !== "record") {
      report(
        "receipt-trailers-invalid",
        commit,
        commit.sha.slice(0, 12),
        `record path: ${path.ok ? "not a record" : path.message}`,
      );
      continue;
    }
    const key = path.value.key;
    const subject = entryId(key);
    const entry = entryFor(key, facts.recordPath);

    let counts = true;
    if (!commit.firstParent) {
      counts = false;
      report(
        "receipt-not-app",
        commit,
        subject,
        "the receipt reached the default branch through a merge, not as the app's own commit",
      );
    }
    const app = checkAppCommit(options.app, commit);
    if (!app.ok) {
      counts = false;
      const code: FindingCode =
        app.problem === "identity"
          ? "receipt-not-app"
          : app.problem === "signature-missing"
            ? "receipt-signature-missing"
            : app.problem === "signature-invalid"
              ? "receipt-signature-invalid"
              : "receipt-signature-unchecked";
      report(code, commit, subject, app.detail);
    }
    const view = { commit: commit.sha, at: commit.committer.date, counts };

    if (facts.kind === "certificate") {
      if (facts.csrUid !== key.uid)
        report(
          "receipt-digest-mismatch",
          commit,
          subject,
          `the receipt's CSR uid ${facts.csrUid} is not the record path's`,
        );
      if (facts.matchesRequest === false)
        report(
          "certificate-mismatch",
          commit,
          subject,
          `serial ${facts.serial ?? "unknown"}: ${facts.mismatches.join("; ") || "does not match the request"}`,
        );
      entry.certificates.push({ facts, ...view });
      continue;
    }

    if (facts.csrUid !== key.uid || facts.csrName !== key.name || facts.cluster !== key.cluster)
      report(
        "receipt-digest-mismatch",
        commit,
        subject,
        `the receipt names ${facts.cluster}/${facts.csrName}_${facts.csrUid} but its record path is ${facts.recordPath}`,
      );
    const mergedIndex = entry.merged === undefined ? undefined : indexOf.get(entry.merged.commit);
    const recordOnBranch = mergedIndex !== undefined && mergedIndex < index;
    if (!recordOnBranch && facts.decision !== "denied")
      report(
        "receipt-without-record",
        commit,
        subject,
        `${facts.recordPath} is not on the default branch at this ${facts.decision} receipt`,
      );
    if (recordOnBranch || entry.recordBlob !== undefined) {
      if (entry.recordBlob !== undefined && facts.recordBlob !== entry.recordBlob)
        report(
          "receipt-digest-mismatch",
          commit,
          subject,
          `the receipt's record blob ${facts.recordBlob} is not the record's ${entry.recordBlob}`,
        );
      if (entry.record !== undefined && facts.requestSha256 !== entry.record.requestSha256)
        report(
          "receipt-digest-mismatch",
          commit,
          subject,
          `the receipt's request digest ${facts.requestSha256} is not the record's ${entry.record.requestSha256}`,
        );
    }
    if (counts && entry.decisions.some((d) => d.counts)) {
      report(
        "receipt-duplicate",
        commit,
        subject,
        `a second ${facts.decision} receipt for this CSR`,
      );
    }
    if (facts.decision === "approved" && counts) {
      if (entry.record?.verdict.decision === "deny")
        report(
          "approved-despite-deny",
          commit,
          subject,
          `the record's verdict is deny (${entry.record.verdict.reasonCodes.join(", ")})`,
        );
      const mergeCommit =
        facts.mergeCommit === undefined
          ? undefined
          : history.commits[indexOf.get(facts.mergeCommit) ?? -1];
      const base = mergeCommit?.parents[0] ?? commit.parents[0] ?? "";
      const approvals = checkApprovals({
        facts,
        record: entry.record,
        owners: codeowners.ownersAt(base, facts.recordPath),
        baseCommit: base,
      });
      for (const problem of approvals.problems)
        report(problem.code, commit, subject, problem.detail);
      entry.notes.push(...approvals.notes);
    }
    entry.decisions.push({ facts, ...view });
  }

  const out: LedgerEntry[] = [];
  for (const entry of entries.values()) {
    const decision = entry.decisions.find((d) => d.counts) ?? entry.decisions.at(-1);
    const certificate = entry.certificates.find((c) => c.counts) ?? entry.certificates.at(-1);
    const subject = entryId(entry.key);
    if (entry.merged !== undefined && !entry.decisions.some((d) => d.counts)) {
      const age = options.now.getTime() - Date.parse(entry.merged.at);
      if (age >= options.receiptGraceMs)
        report(
          "record-merged-without-receipt",
          history.commits[indexOf.get(entry.merged.commit) ?? -1],
          subject,
          entry.decisions.length === 0
            ? "merged, and no decision receipt follows"
            : "merged, and no decision receipt that counts follows",
        );
    }
    const approved = decision?.counts === true && decision.facts.decision === "approved";
    if (certificate?.counts === true && !approved)
      report(
        "certificate-without-decision",
        history.commits[indexOf.get(certificate.commit) ?? -1],
        subject,
        `certificate receipt (${certificate.facts.outcome}) with no approval receipt that counts`,
      );
    out.push({
      key: entry.key,
      id: subject,
      recordPath: entry.recordPath,
      record: entry.record,
      recordBlob: entry.recordBlob,
      recordCommit: entry.recordCommit,
      merged: entry.merged,
      decision,
      certificate,
      notes: entry.notes,
    });
  }
  out.sort(
    (a, b) =>
      (a.record?.recordedAt ?? a.merged?.at ?? a.decision?.at ?? "").localeCompare(
        b.record?.recordedAt ?? b.merged?.at ?? b.decision?.at ?? "",
      ) || a.id.localeCompare(b.id),
  );
  return { entries: out, findings };
}
