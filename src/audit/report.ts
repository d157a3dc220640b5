/**
 * The audit report every output format renders: summary, findings (alarms first), a timeline of
 * decisions, and the ledger, one row per CSR. Pure.
 */
import type { ClusterComparison } from "./cluster/compare-cluster.ts";
import type { ClusterPhase } from "./cluster/cluster-csr.ts";
import { sortFindings, type Finding } from "./finding.ts";
import type { Ledger } from "./build-ledger.ts";
import type { LedgerEntry } from "./ledger-entry.ts";

export interface LedgerRow {
  readonly id: string;
  readonly cluster: string;
  readonly name: string;
  readonly uid: string;
  readonly signer: string;
  readonly requester: string;
  readonly subject: string;
  readonly subjectAltNames: string;
  readonly verdict: string;
  readonly reasons: string;
  readonly requiredApprovals: number | undefined;
  /** approved, denied, refused, or none. */
  readonly decision: string;
  /** Whether the decision's receipt counts (the app's own signed commit). */
  readonly decisionCounts: boolean;
  readonly approvers: string;
  readonly mergedBy: string;
  readonly closedBy: string;
  readonly pullRequest: number | undefined;
  readonly recordedAt: string;
  readonly mergedAt: string;
  readonly decidedAt: string;
  readonly certificateSerial: string;
  readonly certificateNotAfter: string;
  readonly clusterPhase: ClusterPhase | "absent" | "";
  readonly recordCommit: string;
  readonly decisionCommit: string;
  readonly findings: string;
  readonly notes: string;
}

export interface TimelineEvent {
  readonly at: string;
  readonly event: string;
  readonly subject: string;
  readonly actor: string;
  readonly commit: string;
}

export interface AuditSummary {
  readonly csrs: number;
  readonly approved: number;
  readonly denied: number;
  readonly refused: number;
  readonly undecided: number;
  readonly certificates: number;
  readonly alarms: number;
  readonly warnings: number;
  readonly notices: number;
}

export interface AuditReport {
  readonly generatedAt: string;
  readonly source: string;
  readonly ref: string;
  readonly head: string;
  readonly since: string | undefined;
  readonly clusters: readonly { readonly name: string; readonly csrs: number }[];
  readonly summary: AuditSummary;
  readonly findings: readonly Finding[];
  readonly timeline: readonly TimelineEvent[];
  readonly ledger: readonly LedgerRow[];
}

const person = (p: { login: string; id: number } | undefined): string =>
  p === undefined ? "" : `${p.login} (id ${p.id})`;

function row(
  entry: LedgerEntry,
  phase: ClusterPhase | "absent" | "",
  codes: ReadonlySet<string> | undefined,
): LedgerRow {
  const r = entry.record;
  const d = entry.decision?.facts;
  const c = entry.certificate?.facts;
  return {
    id: entry.id,
    cluster: entry.key.cluster,
    name: entry.key.name,
    uid: entry.key.uid,
    signer: r?.signerName ?? "",
    requester: r?.requester.username ?? "",
    subject: r?.subject ?? "",
    subjectAltNames: r?.subjectAltNames.join(", ") ?? "",
    verdict: r?.verdict.decision ?? "",
    reasons: r?.verdict.reasonCodes.join(", ") ?? "",
    requiredApprovals: r?.verdict.requiredApprovals,
    decision: d?.decision ?? "none",
    decisionCounts: entry.decision?.counts ?? false,
    approvers: d?.approvedBy.map((p) => person(p)).join(", ") ?? "",
    mergedBy: person(d?.mergedBy),
    closedBy: person(d?.closedBy),
    pullRequest: d?.pullRequest,
    recordedAt: r?.recordedAt ?? "",
    mergedAt: entry.merged?.at ?? "",
    decidedAt: d?.decidedAt ?? "",
    certificateSerial: c?.serial ?? "",
    certificateNotAfter: c?.notAfter ?? "",
    clusterPhase: phase,
    recordCommit: entry.recordCommit ?? "",
    decisionCommit: entry.decision?.commit ?? "",
    findings: [...(codes ?? [])].join(", "),
    notes: entry.notes.join("; "),
  };
}

function timeline(
  entries: readonly LedgerEntry[],
  comparisons: readonly ClusterComparison[],
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const e of entries) {
    if (e.record !== undefined)
      events.push({
        at: e.record.recordedAt,
        event: "recorded",
        subject: e.id,
        actor: e.record.requester.username,
        commit: e.recordCommit ?? "",
      });
    // A CSR the policy denied at once (`policyDenied: deny`) has no PR: the app committed its
    // record to the default branch itself.
    const policyDenial =
      e.decision?.facts.decision === "denied" && e.decision.facts.pullRequest === undefined;
    if (e.merged !== undefined)
      events.push({
        at: e.merged.at,
        event: policyDenial
          ? "committed to the default branch (denied by policy, no PR)"
          : "merged",
        subject: e.id,
        actor: person(e.decision?.facts.mergedBy),
        commit: e.merged.commit,
      });
    const d = e.decision;
    if (d !== undefined)
      events.push({
        at: d.facts.decidedAt,
        event: d.counts ? d.facts.decision : `${d.facts.decision} (receipt does not count)`,
        subject: e.id,
        actor:
          d.facts.decision === "denied"
            ? policyDenial
              ? "policy"
              : person(d.facts.closedBy)
            : d.facts.approvedBy.map((p) => p.login).join(", "),
        commit: d.commit,
      });
    const c = e.certificate;
    if (c !== undefined)
      events.push({
        at: c.facts.recordedAt,
        event: c.facts.outcome === "issued" ? "certificate issued" : "signer failed",
        subject: e.id,
        actor: c.facts.serial === undefined ? "" : `serial ${c.facts.serial}`,
        commit: c.commit,
      });
  }
  for (const comparison of comparisons)
    for (const csr of comparison.unrecorded) {
      const approved = csr.conditions.find((x) => x.type === "Approved" && x.status === "True");
      events.push({
        at: approved?.at ?? csr.creationTimestamp ?? "",
        event: `approved in the cluster without a receipt (${approved?.reason ?? ""})`,
        subject: `${comparison.cluster}/${csr.name}_${csr.uid}`,
        actor: csr.username,
        commit: "",
      });
    }
  return events.sort((a, b) => a.at.localeCompare(b.at) || a.subject.localeCompare(b.subject));
}

export function buildReport(args: {
  readonly ledger: Ledger;
  readonly comparisons: readonly ClusterComparison[];
  readonly clusterCsrCounts: ReadonlyMap<string, number>;
  readonly source: string;
  readonly ref: string;
  readonly head: string | undefined;
  readonly since: Date | undefined;
  readonly now: Date;
}): AuditReport {
  const since = args.since?.toISOString();
  const inWindow = (at: string | undefined): boolean =>
    since === undefined || at === undefined || at === "" || at >= since;
  const allFindings = sortFindings([
    ...args.ledger.findings,
    ...args.comparisons.flatMap((c) => c.findings),
  ]).filter((f) => inWindow(f.at));
  const phaseOf = (entry: LedgerEntry): ClusterPhase | "absent" | "" => {
    const comparison = args.comparisons.find((c) => c.cluster === entry.key.cluster);
    if (comparison === undefined) return "";
    return comparison.phases.get(entry.id) ?? "absent";
  };
  const entries = args.ledger.entries.filter((e) =>
    inWindow(e.decision?.facts.decidedAt ?? e.merged?.at ?? e.record?.recordedAt),
  );
  const codesBySubject = new Map<string, Set<string>>();
  for (const f of allFindings) {
    const codes = codesBySubject.get(f.subject) ?? new Set<string>();
    codes.add(f.code);
    codesBySubject.set(f.subject, codes);
  }
  const ledger = entries.map((e) => row(e, phaseOf(e), codesBySubject.get(e.id)));
  const count = (d: string): number =>
    ledger.filter((r) => r.decision === d && r.decisionCounts).length;
  return {
    generatedAt: args.now.toISOString(),
    source: args.source,
    ref: args.ref,
    head: args.head ?? "",
    since,
    clusters: [...args.clusterCsrCounts].map(([name, csrs]) => ({ name, csrs })),
    summary: {
      csrs: ledger.length,
      approved: count("approved"),
      denied: count("denied"),
      refused: count("refused"),
      undecided: ledger.filter((r) => !r.decisionCounts).length,
      certificates: entries.filter(
        (e) => e.certificate?.counts === true && e.certificate.facts.outcome === "issued",
      ).length,
      alarms: allFindings.filter((f) => f.severity === "alarm").length,
      warnings: allFindings.filter((f) => f.severity === "warning").length,
      notices: allFindings.filter((f) => f.severity === "notice").length,
    },
    findings: allFindings,
    timeline: timeline(entries, args.comparisons).filter((e) => inWindow(e.at)),
    ledger,
  };
}
