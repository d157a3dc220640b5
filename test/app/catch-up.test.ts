/**
 * The catch-up reads only what may need work: every app PR at start-up, then the PRs updated
 * since the last completed pass (with an overlap) and the PRs the last pass left unsettled.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { CATCH_UP_OVERLAP_MS, catchUp, newCatchUpState } from "../../src/app/catch-up.ts";
import { until } from "../kube/until.ts";
import { R, startHarness } from "./harness.ts";
import { approvedCsr, requestPem, SERVING, signer, signerWrites } from "./test-signer.ts";

vi.setConfig({ testTimeout: 180_000 });

describe("the catch-up is proportional to the work", () => {
  it("after a full first pass, reads only PRs updated since, and still repairs a missed merge", async () => {
    const h = await startHarness();
    const first = await h.createCsr("catchup-1");
    const pr1 = await h.openPr(first);
    await h.approve(pr1.number, "alice", "bob");
    await h.sim.actions.merge(R, pr1.number, "carol");
    await h.deliver();
    const name1 = first.metadata?.name ?? "";
    await until("the signer to issue", async () => (await h.csr(name1))?.status?.certificate);

    const state = newCatchUpState();
    const full = await catchUp(h.api, R, h.deps, state);
    expect(full).toMatchObject({ full: true, errors: [] });
    expect(full.outcomes.map((o) => o.number)).toContain(pr1.number);
    expect(state.unsettled.has(pr1.number)).toBe(false);

    // The next pass's window starts a second after PR 1's last update (GitHub times have seconds).
    const updated1 = Date.parse(
      (await h.api.rest.pulls.get({ ...R, pull_number: pr1.number })).data.updated_at,
    );
    state.since = new Date(updated1 + 1000 + CATCH_UP_OVERLAP_MS);
    while (Date.now() < updated1 + 2000) await sleep(200);

    const second = await h.createCsr("catchup-2");
    const pr2 = await h.openPr(second);
    await h.approve(pr2.number, "alice", "bob");
    h.sim.webhooks?.setFaults({ drop: 10 });
    await h.sim.actions.merge(R, pr2.number, "carol");
    await h.deliver();
    const name2 = second.metadata?.name ?? "";
    expect(await h.conditions(name2)).toEqual([]);

    const incremental = await catchUp(h.api, R, h.deps, state);
    expect(incremental).toMatchObject({ full: false, listed: 1, errors: [] });
    expect(incremental.outcomes.map((o) => o.number)).toEqual([pr2.number]);
    expect(await h.conditions(name2)).toEqual(["Approved"]);

    // A replay of the same window changes nothing.
    const log = h.gitLog();
    const comments = await h.comments(pr2.number);
    const replay = await catchUp(h.api, R, h.deps, {
      ...state,
      since: new Date(updated1 + 1000 + CATCH_UP_OVERLAP_MS),
    });
    expect(replay.outcomes.map((o) => o.number)).toContain(pr2.number);
    expect(
      h
        .gitLog()
        .split("\n")
        .filter((l) => l.startsWith("csr-gitops: approved")),
    ).toEqual(log.split("\n").filter((l) => l.startsWith("csr-gitops: approved")));
    expect(await h.comments(pr2.number)).toEqual(comments);
    expect(
      (await h.csr(name2))?.status?.conditions?.filter((c) => c.type === "Approved"),
    ).toHaveLength(1);
  });

  it("looks again at a PR whose certificate was not issued yet, though nothing changed on GitHub", async () => {
    const { h, pr, csr } = await approvedCsr([]);
    const state = newCatchUpState();
    const first = await catchUp(h.api, R, h.deps, state);
    expect(first.outcomes.find((o) => o.number === pr.number)?.outcome).toMatchObject({
      state: "merged",
      kind: "already-recorded",
      settled: false,
    });
    expect(state.unsettled.has(pr.number)).toBe(true);

    await signerWrites(csr, {
      certificate: signer().sign(requestPem(csr), `${SERVING}\nsubjectAltName=DNS:web.example.com`),
    });
    // Far past any window: only the unsettled list can bring this PR back.
    state.since = new Date(Date.now() + 24 * 3600 * 1000);
    const later = await catchUp(h.api, R, h.deps, state);
    expect(later.listed).toBe(0);
    expect(later.outcomes.map((o) => o.number)).toEqual([pr.number]);
    expect(h.gitLog()).toContain(
      `csr-gitops: certificate issued for prod/${csr.metadata?.name ?? ""}`,
    );
    expect(state.unsettled.has(pr.number)).toBe(false);
  });
});
