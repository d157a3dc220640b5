/**
 * `npm run demo`: the whole flow on this machine in a few minutes. Starts the Kubernetes test
 * server (building it on first use), the GitHub simulator over HTTP, and `csr-gitops serve` as its
 * own process configured by environment variables only; plays the people (a kubelet, alice, two
 * code owners, a merger, a closer); narrates; writes the audit repository, the audit report and
 * the PR pages; stops everything it started, on success, failure or Ctrl-C. See docs/demo.md.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { letAliceRequest, registerNode } from "../../test/e2e/harness/actors.ts";
import { Cleanup } from "../../test/e2e/harness/cleanup.ts";
import {
  startTestServer,
  userClusterTarget,
  type KubeTarget,
} from "../../test/e2e/harness/kube-target.ts";
import { startStack } from "../../test/e2e/harness/stack.ts";
import { parseDemoArgs } from "./args.ts";
import { writeOutputs } from "./outputs.ts";
import { runScenario, type CsrOutcome } from "./scenario.ts";

async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2));
  if ("error" in args) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)}s`;
  // With --json, stdout carries only the summary; the story goes to stderr.
  const say = (line: string): void => {
    (args.json ? process.stderr : process.stdout).write(`${line}\n`);
  };
  const cleanup = new Cleanup();
  cleanup.handleSignals();
  const out = resolve(args.out ?? mkdtempSync(join(tmpdir(), "csr-gitops-demo-")));
  mkdirSync(out, { recursive: true });
  try {
    say(
      "csr-gitops demo: every pending CSR becomes a pull request; a merge by code owners approves it.",
    );
    let kube: KubeTarget;
    if (args.kubeconfig !== undefined) {
      kube = userClusterTarget(args.kubeconfig);
      say("");
      say(`WARNING: using ${kube.description} from ${args.kubeconfig}.`);
      say(
        "  Use a disposable cluster only (kind, k3d). The demo acts there with the context's admin",
      );
      say("  rights: it creates two CSRs, a Node object csr-gitops-demo-worker, a ClusterRole and");
      say(
        "  ClusterRoleBinding csr-gitops-demo-csr-requester and a Lease in namespace default, and",
      );
      say(
        "  csr-gitops will open a PR for EVERY pending CSR in that cluster and approve merged ones.",
      );
      if (!args.yes) {
        say("  Starting in 10 s; press Ctrl-C to stop (or pass --yes).");
        await sleep(10_000);
      }
    } else {
      say(
        `Starting the Kubernetes test server (a real kube-apiserver, etcd and the CSR signers)... [${elapsed()}]`,
      );
      kube = await startTestServer(cleanup, say);
    }
    await registerNode(kube);
    await letAliceRequest(kube);
    say(
      `Node ${kube.nodeName} registered with address 10.0.0.11; alice may create CSRs. [${elapsed()}]`,
    );

    const stack = await startStack(cleanup, { kube, logDir: out, resyncSeconds: 10 });
    say(
      `GitHub simulator serving acme/csr-audit at ${stack.github.url} (CODEOWNERS: /clusters/ @acme/csr-approvers). [${elapsed()}]`,
    );
    const replica = await stack.startReplica("csr-gitops-0");
    say(
      `csr-gitops serve running as pid ${String(replica.child.pid)} on ${replica.url}, configured by environment only:`,
    );
    for (const [k, v] of Object.entries(stack.env).filter(([k]) => k !== "WEBHOOK_SECRET"))
      say(`    ${k}=${v}`);
    say(`    WEBHOOK_SECRET=(set)   [${elapsed()}]`);

    const result = await runScenario(stack, say);
    const files = writeOutputs(stack, out);

    say("");
    say(`5. Final state [${elapsed()}]`);
    const show = (o: CsrOutcome): void => {
      say(
        `    CSR ${o.name} (${o.signer}, requested by ${o.requester}): ${o.conditions.join(", ")} via PR #${String(o.pullRequest)}`,
      );
    };
    show(result.allowed);
    show(result.denied);
    const cert = result.allowed.certificate;
    if (cert !== undefined) {
      say(`    Issued certificate: subject ${cert.subject}; ${cert.subjectAltNames}`);
      say(
        `      issuer ${cert.issuer}; serial ${cert.serial}; valid ${cert.notBefore} to ${cert.notAfter}`,
      );
    }
    say("    git log of the audit repository (newest first):");
    for (const line of result.gitLog) say(`      ${line}`);
    say("");
    say("Files:");
    say(
      `    audit repository:  ${files.auditRepository}   (try: git -C ${files.auditRepository} log --stat)`,
    );
    say(
      `    audit report:      ${files.auditReport}   (csr-gitops audit exit ${String(files.auditExitCode)})`,
    );
    for (const page of files.prPages) say(`    PR page:           ${page}`);
    say(`    serve log:         ${files.serveLogs}`);
    say(`Done in ${elapsed()}. Stopping everything the demo started.`);
    const failures = await cleanup.run();
    for (const f of failures) say(`cleanup failed: ${f}`);
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ ok: failures.length === 0, seconds: (Date.now() - started) / 1000, kubernetes: kube.description, csrs: [result.allowed, result.denied], gitLog: result.gitLog, files })}\n`,
      );
    }
    return failures.length === 0 ? 0 : 1;
  } catch (error) {
    say(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    say(`Files so far are in ${out}.`);
    const failures = await cleanup.run();
    for (const f of failures) say(`cleanup failed: ${f}`);
    if (args.json)
      process.stdout.write(`${JSON.stringify({ ok: false, error: String(error), out })}\n`);
    return 1;
  }
}

process.exitCode = await main();
