/** Steps the app scenarios share: a harness with one app PR, merging, and what to assert. */
import { expect } from "vitest";
import { decisionPath } from "../../src/core/record/layout.ts";
import { parseReceipt } from "../../src/core/record/receipt.ts";
import { R, startHarness, type Harness, type OpenedPr } from "./harness.ts";

export async function setUp(
  options?: Parameters<typeof startHarness>[0],
): Promise<{ h: Harness; pr: OpenedPr; name: string }> {
  const h = await startHarness(options);
  const csr = await h.createCsr("adv");
  const pr = await h.openPr(csr);
  return { h, pr, name: csr.metadata?.name ?? "" };
}

export async function mergeAs(h: Harness, pr: OpenedPr, merger = "carol"): Promise<void> {
  await h.sim.actions.merge(R, pr.number, merger);
  await h.deliver();
  await h.resync();
}

export async function expectPending(h: Harness, name: string): Promise<void> {
  expect(await h.conditions(name)).toEqual([]);
}

/** The refusal codes of the PR's decision receipt on main, sorted ([] when none). */
export async function refusalCodes(h: Harness, pr: OpenedPr): Promise<string[]> {
  const path = decisionPath(pr.key);
  const parsed = parseReceipt((await h.fileOnMain(path.ok ? path.value : "")) ?? "");
  return parsed.ok && parsed.receipt.kind === "DecisionReceipt"
    ? [...parsed.receipt.refused].sort()
    : [];
}
