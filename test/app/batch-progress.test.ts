/**
 * An open batch PR's check run reflects the whole batch: the approvals required are the most any
 * record needs, and the text names the records not yet satisfied. The records here come to need
 * different numbers the way a real batch can (the controller batches only CSRs that no risk tier
 * applies to): the policy on main changes after the batch was opened, from one approval for
 * every CSR to a tier that asks two for a request with more than one SAN.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordPath, type CsrKey } from "../../src/core/record/layout.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { openBatchPr } from "./batch-open-pr.ts";
import { kubeletServingRequest } from "./csr-bodies.ts";
import { R, startHarness } from "./harness.ts";

const ONE = readFileSync("policy/default.yaml", "utf8").replace(
  /^requiredApprovals: 2$/m,
  "requiredApprovals: 1",
);
const ONE_OR_TWO = ONE.replace(
  /^tiers: \[\]$/m,
  "tiers:\n  - name: several-names\n    when: { sanCountAbove: 1 }\n    requiredApprovals: 2",
);

function pathOf(key: CsrKey): string {
  const path = recordPath(key);
  if (!path.ok) throw new Error(path.message);
  return path.value;
}

describe("the check run of an open batch PR reflects the whole batch", () => {
  it("records that need one and two approvals: two required, the one short named", async () => {
    expect(ONE_OR_TWO).toContain("several-names");
    const h = await startHarness({ files: { ".github/csr-gitops/policy.yaml": ONE } });
    const node = kubeClients("node").certificates;
    // One SAN (its DNS name): one approval. Two SANs (DNS name and IP): two approvals.
    const one = await node.createCertificateSigningRequest({
      body: kubeletServingRequest(uniqueName("batch"), []).body,
    });
    const two = await node.createCertificateSigningRequest({
      body: kubeletServingRequest(uniqueName("batch"), ["10.0.0.11"]).body,
    });
    const pr = await openBatchPr(h.api, [one, two]);
    const [oneKey, twoKey] = pr.keys;
    if (oneKey === undefined || twoKey === undefined) throw new Error("no keys");
    await h.sim.actions.push(R, "main", "carol", { ".github/csr-gitops/policy.yaml": ONE_OR_TWO });

    await h.approve(pr.number, "alice");
    await h.deliver();
    const run = await h.api.rest.checks.listForRef({ ...R, ref: pr.headSha });
    const check = run.data.check_runs.find((c) => c.name === "csr-gitops");
    expect(check?.output.title).toBe(
      "1 of 2 code owner approvals; 1 of 2 records not yet satisfied",
    );
    expect(check?.conclusion).toBeNull();
    expect(check?.output.summary).toContain("This batch holds 2 records");
    expect(check?.output.summary).toContain(
      `- \`${pathOf(twoKey)}\`: 1 of 2 code owner approvals (\`alice\`)`,
    );
    expect(check?.output.summary).not.toContain(pathOf(oneKey));

    await h.approve(pr.number, "bob");
    await h.deliver();
    expect(await h.check(pr.headSha)).toMatchObject({
      title: "2 of 2 code owner approvals; all 2 records satisfied",
      conclusion: "success",
    });

    await h.sim.actions.merge(R, pr.number, "carol");
    await h.deliver();
    expect(await h.conditions(oneKey.name)).toEqual(["Approved"]);
    expect(await h.conditions(twoKey.name)).toEqual(["Approved"]);
    expect(await h.check(pr.headSha)).toMatchObject({
      title: "Approved: all 2 CSRs of the batch",
      conclusion: "success",
    });
  }, 180_000);
});
