/**
 * Two replicas; the Lease holder is killed (SIGKILL) in the middle of a burst of CSRs. The standby
 * takes the Lease when it expires and finishes the burst: one PR per CSR, none lost, none twice;
 * it also handles the webhooks of a merge.
 */
import { CoordinationV1Api } from "@kubernetes/client-node";
import { describe, expect, inject, it } from "vitest";
import { until } from "../kube/until.ts";
import {
  auditRepo,
  codeOwnersApprove,
  conditionsOf,
  csrWith,
  gitLogWith,
  merge,
  openedPr,
  startingWith,
  subject,
} from "./harness/flow.ts";
import { kubeConfigOf, testServerTarget } from "./harness/kube-target.ts";
import { E2E_TIMEOUT, nameOf, startE2e, uidOf } from "./e2e-fixture.ts";

describe("leader killed mid-burst", E2E_TIMEOUT, () => {
  it("the standby takes over: every CSR gets exactly one PR, and merges are approved", async () => {
    const { stack, servingCsr, replica } = await startE2e({ replicas: 2 });
    const [leader, standby] = [replica(0), replica(1)];
    const coordination = kubeConfigOf(
      testServerTarget(inject("kubeServer")).actors.admin,
    ).makeApiClient(CoordinationV1Api);
    const holder = async (): Promise<string | undefined> =>
      (await coordination.readNamespacedLease({ name: stack.leaseName, namespace: "csr-gitops" }))
        .spec?.holderIdentity ?? undefined;
    const first = await until("a replica to hold the Lease", holder);
    const leading = first === leader.name ? leader : standby;
    const other = leading === leader ? standby : leader;

    const csrs = [];
    for (let i = 0; i < 3; i++) csrs.push(await servingCsr());
    const [firstCsr] = csrs;
    if (firstCsr === undefined) throw new Error("three CSRs");
    await stack.pullFor(uidOf(firstCsr));
    await leading.kill();
    stack.unroute(leading);
    for (let i = 0; i < 2; i++) csrs.push(await servingCsr());

    await until(
      "the other replica to take the Lease",
      async () => (await holder()) === other.name,
      120_000,
    );
    const opened = [];
    for (const csr of csrs) opened.push(await openedPr(stack, uidOf(csr)));
    const pulls = auditRepo(stack).pulls;
    expect(pulls).toHaveLength(csrs.length);
    expect(new Set(pulls.map((p) => p.headRef)).size).toBe(csrs.length);

    const last = opened.at(-1);
    const lastCsr = csrs.at(-1);
    if (last === undefined || lastCsr === undefined) throw new Error("five CSRs");
    await codeOwnersApprove(stack, last.pr.number);
    await merge(stack, last.pr.number, "carol");
    const done = await csrWith(stack, nameOf(lastCsr), "Approved");
    expect(conditionsOf(done)).toEqual(["Approved"]);
    const log = await gitLogWith(stack, [subject.approved(nameOf(lastCsr), last.pr.number)]);
    // Records live on the PR branches; main has the merged one, its merge and its receipt.
    expect(startingWith(log, "csr-gitops: record ")).toEqual([subject.record(nameOf(lastCsr))]);
    expect(startingWith(log, "Merge pull request #")).toHaveLength(1);
  });
});
