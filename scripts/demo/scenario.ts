/**
 * The demo's story, step by step, narrated: a node asks for a serving certificate (allowed), alice
 * asks for a cluster-admin client certificate (denied), two code owners approve the first PR and
 * a third person merges it, and the second PR is closed. Returns what happened, for the summary.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import {
  adminClientCsr,
  createCsr,
  nodeServingCsr,
  readCsr,
} from "../../test/e2e/harness/actors.ts";
import {
  appComments,
  approve,
  close,
  comment,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
  type OpenedPr,
} from "../../test/e2e/harness/flow.ts";
import { CLUSTER, type Stack } from "../../test/e2e/harness/stack.ts";
import { certificateFacts, type CertificateFacts } from "./certificate.ts";

export type Say = (line: string) => void;

export interface CsrOutcome {
  readonly name: string;
  readonly uid: string;
  readonly requester: string;
  readonly signer: string;
  readonly pullRequest: number;
  readonly verdict: "allow" | "deny";
  readonly conditions: readonly string[];
  readonly certificate: CertificateFacts | undefined;
}

export interface ScenarioResult {
  readonly allowed: CsrOutcome;
  readonly denied: CsrOutcome;
  readonly gitLog: readonly string[];
}

function indent(text: string, prefix = "      "): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `${prefix}${l}`)
    .join("\n");
}

async function outcome(
  stack: Stack,
  opened: OpenedPr,
  created: V1CertificateSigningRequest,
): Promise<CsrOutcome> {
  const name = created.metadata?.name ?? "";
  const now = await readCsr(stack.kube, name);
  return {
    name,
    uid: created.metadata?.uid ?? "",
    requester: created.spec.username ?? "",
    signer: created.spec.signerName,
    pullRequest: opened.pr.number,
    verdict: opened.verdict,
    conditions: conditionsOf(now),
    certificate: certificateFacts(now?.status?.certificate),
  };
}

/** The app's comments, first lines only, without the hidden marker comment. */
function sayComments(say: Say, comments: readonly string[]): void {
  for (const c of comments) {
    const lines = c.split("\n").filter((l) => !l.startsWith("<!--") && l.trim() !== "");
    say("    The app commented on the PR:");
    say(indent(lines.slice(0, 3).join("\n")));
  }
}

function describeOpened(say: Say, opened: OpenedPr): void {
  const { pr } = opened;
  say(`    The app opened PR #${String(pr.number)} "${pr.title}"`);
  say(`      policy verdict: ${opened.verdict.toUpperCase()}; labels: ${pr.labels.join(", ")}`);
  say(
    `      check run "csr-gitops": ${opened.check.conclusion ?? "pending"}${opened.check.title === null ? "" : ` (${opened.check.title})`}`,
  );
  if (pr.requestedTeams.length + pr.requestedReviewers.length > 0)
    say(
      `      review requested from the code owners: ${[...pr.requestedTeams.map((t) => `@acme/${t}`), ...pr.requestedReviewers.map((r) => `@${r}`)].join(", ")}`,
    );
  const reasons = (pr.body ?? "")
    .split("\n")
    .filter((l) => /^- \*\*|^- `[a-z-]+`/.test(l))
    .slice(0, 4);
  for (const r of reasons) say(indent(r));
}

export async function runScenario(stack: Stack, say: Say): Promise<ScenarioResult> {
  const node = `system:node:${stack.kube.nodeName}`;
  say("");
  say(
    `1. The kubelet of ${stack.kube.nodeName} asks for its serving certificate (kubernetes.io/kubelet-serving,`,
  );
  say(`   DNS ${stack.kube.nodeName}, IP 10.0.0.11: its own name and address), as ${node}.`);
  const serving = await createCsr(stack.kube, "node", nodeServingCsr(stack.kube.nodeName));
  say(`    CSR ${serving.metadata?.name ?? ""} created, pending.`);
  const allowedPr = await openedPr(stack, serving.metadata?.uid ?? "");
  describeOpened(say, allowedPr);

  say("");
  say("2. alice asks for a client certificate (kubernetes.io/kube-apiserver-client) with");
  say("   O=kubeadm:cluster-admins: a group kubeadm binds to cluster-admin.");
  const client = await createCsr(stack.kube, "user", adminClientCsr());
  say(`    CSR ${client.metadata?.name ?? ""} created, pending.`);
  const deniedPr = await openedPr(stack, client.metadata?.uid ?? "");
  describeOpened(say, deniedPr);

  say("");
  say(
    `3. Code owners alice and bob (team @acme/csr-approvers) approve PR #${String(allowedPr.pr.number)}; carol merges it.`,
  );
  await approve(stack, allowedPr.pr.number, "alice");
  say("    alice approved.");
  await approve(stack, allowedPr.pr.number, "bob");
  say("    bob approved.");
  const mergeSha = await merge(stack, allowedPr.pr.number, "carol");
  say(
    `    carol merged it (merge commit ${mergeSha.slice(0, 12)}). GitHub sends the webhook to the app.`,
  );
  const approved = await csrWith(stack, serving.metadata?.name ?? "", "Approved");
  say(
    `    The app re-checked the merge and approved the CSR; the signer issued the certificate. Conditions: ${conditionsOf(approved).join(", ")}.`,
  );
  const allowedName = serving.metadata?.name ?? "";
  await gitLogWith(stack, [
    `csr-gitops: approved ${CLUSTER}/${allowedName}`,
    `csr-gitops: certificate issued for ${CLUSTER}/${allowedName}`,
  ]);
  say("    It wrote a decision receipt and a certificate receipt to main.");
  sayComments(say, appComments(stack, allowedPr.pr.number));

  say("");
  say(`4. dave explains and closes PR #${String(deniedPr.pr.number)} without merging.`);
  await comment(
    stack,
    deniedPr.pr.number,
    "dave",
    "People get cluster-admin through SSO, not client certificates.",
  );
  await close(stack, deniedPr.pr.number, "dave");
  const deniedName = client.metadata?.name ?? "";
  const denied = await csrWith(stack, deniedName, "Denied");
  say(`    The app denied the CSR. Conditions: ${conditionsOf(denied).join(", ")}.`);
  await gitLogWith(stack, [`csr-gitops: denied ${CLUSTER}/${deniedName}`]);
  say("    It wrote a decision receipt to main.");
  sayComments(say, appComments(stack, deniedPr.pr.number));

  const gitLog = stack.gitLog("%h %an: %s");
  return {
    allowed: await outcome(stack, allowedPr, serving),
    denied: await outcome(stack, deniedPr, client),
    gitLog,
  };
}
