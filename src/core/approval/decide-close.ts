/**
 * What closing an app PR without merging does (DESIGN.md: "A PR closed without merging denies the
 * CSR (configurable) with the closer and reason recorded"). The CSRs to deny are named by the
 * app's own check run (external_id), never by the PR's content, so a push to the branch cannot
 * point a denial at another CSR. A PR the app closed itself never denies anything. Pure.
 */
import { parseAppBranch, parseCsrPath, type CsrKey } from "../record/layout.ts";
import { parseExternalId } from "./external-id.ts";
import type { AppIdentity, GitHubUser, LiveCsr, PullFacts } from "./snapshot.ts";

/** Labels only the app sets when it closes its own PR (docs/audit-repo.md). */
export const APP_CLOSE_LABELS: readonly string[] = [
  "superseded",
  "decided-elsewhere",
  "csr-deleted",
];

export type CloseSkip =
  | "merged"
  | "still-open"
  | "closed-by-app"
  | "on-close-ignore"
  | "not-app-pull"
  | "check-run-missing";

export type CloseTargets =
  | { readonly deny: true; readonly keys: readonly CsrKey[]; readonly closedBy: GitHubUser | null }
  | { readonly deny: false; readonly skip: CloseSkip; readonly message: string };

export interface CloseSnapshot {
  readonly app: AppIdentity;
  readonly pull: PullFacts;
  readonly labels: readonly string[];
  readonly checkRunExternalId: string | null;
  readonly onClose: "deny" | "ignore";
}

export function closeTargets(s: CloseSnapshot): CloseTargets {
  const p = s.pull;
  if (p.merged) return { deny: false, skip: "merged", message: "the PR was merged" };
  if (p.state !== "closed") return { deny: false, skip: "still-open", message: "the PR is open" };
  const labels = s.labels.map((l) => l.toLowerCase());
  if (p.closedBy?.id === s.app.botId || APP_CLOSE_LABELS.some((l) => labels.includes(l)))
    return { deny: false, skip: "closed-by-app", message: "the app closed this PR itself" };
  if (s.onClose === "ignore")
    return { deny: false, skip: "on-close-ignore", message: "the config says onClose: ignore" };
  if (p.author?.id !== s.app.botId || parseAppBranch(p.headRef) === undefined)
    return { deny: false, skip: "not-app-pull", message: "the PR is not one the app opened" };
  const external =
    s.checkRunExternalId === null ? undefined : parseExternalId(s.checkRunExternalId);
  if (!external?.ok)
    return {
      deny: false,
      skip: "check-run-missing",
      message: "the app's check run naming the record is missing",
    };
  const keys: CsrKey[] = [];
  for (const record of external.records) {
    const parsed = parseCsrPath(record.path);
    if (parsed.ok && parsed.value.kind === "record") keys.push(parsed.value.key);
  }
  if (keys.length === 0)
    return { deny: false, skip: "check-run-missing", message: "the check run names no record" };
  return { deny: true, keys, closedBy: p.closedBy };
}

export type CloseCsrDecision =
  | { readonly deny: true }
  | { readonly deny: false; readonly skip: "csr-missing" | "csr-replaced" | "csr-already-decided" };

/** Deny only the very CSR the record names, and only while it is pending. */
export function closeCsrDecision(key: CsrKey, live: LiveCsr): CloseCsrDecision {
  if (!live.present) return { deny: false, skip: "csr-missing" };
  const object = live.decoded.ok ? live.decoded.csr.object : live.decoded.object;
  if (object === undefined) return { deny: false, skip: "csr-missing" };
  if (object.uid !== key.uid) return { deny: false, skip: "csr-replaced" };
  const decided = object.conditions.some((c) => ["Approved", "Denied", "Failed"].includes(c.type));
  if (decided || object.phase !== "Pending") return { deny: false, skip: "csr-already-decided" };
  return { deny: true };
}
