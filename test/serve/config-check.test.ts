/**
 * serve's config_valid check on the process's one snapshot: a standby reads the head at each check
 * (the files only when it moved); on the leader the check takes the controller's snapshot, so it
 * reads only after the controller marked it stale (a push, a resync), and shares that one read.
 */
import { describe, expect, it } from "vitest";
import type { SnapshotResult } from "../../src/controller/audit-repo-snapshot.ts";
import { builtinTemplates } from "../../src/controller/builtin-templates.ts";
import { AuditRepoSnapshots } from "../../src/controller/snapshot-cache.ts";
import { loadConfig } from "../../src/core/config/index.ts";
import { DEFAULT_POLICY } from "../../src/core/policy/index.ts";
import { configCheck } from "../../src/serve/config-check.ts";

function resultAt(commit: string, broken: boolean): SnapshotResult {
  if (broken) {
    return {
      ok: false,
      errors: [{ file: ".github/csr-gitops.yml", line: 1, column: 1, field: "x", message: "bad" }],
    };
  }
  const config = loadConfig(undefined, ".github/csr-gitops.yml");
  if (!config.ok) throw new Error("the built-in config must load");
  return {
    ok: true,
    snapshot: {
      baseBranch: "main",
      baseCommit: commit,
      config: config.config,
      configBlobSha: null,
      policy: DEFAULT_POLICY,
      policySource: "builtin",
      policyBlobSha: null,
      templates: builtinTemplates(),
    },
  };
}

function world() {
  const state = { head: "c1", broken: new Set<string>(), headReads: 0, fileReads: 0, lead: false };
  const snapshots = new AuditRepoSnapshots(
    {
      head: () => {
        state.headReads += 1;
        return Promise.resolve(state.head);
      },
      readAt: (commit) => {
        state.fileReads += 1;
        return Promise.resolve(resultAt(commit, state.broken.has(commit)));
      },
    },
    Number.POSITIVE_INFINITY,
    () => 0,
  );
  const check = configCheck(snapshots, () => state.lead);
  const valid = async (): Promise<boolean> => (await check()).ok;
  return { state, snapshots, valid };
}

describe("serve's config_valid check", () => {
  it("on a standby reads the head at each check, and the files only when it moved", async () => {
    const { state, valid } = world();
    expect([await valid(), await valid(), await valid()]).toEqual([true, true, true]);
    expect([state.headReads, state.fileReads]).toEqual([3, 1]);
    // A commit breaks the config: the next check sees it.
    state.head = "c2";
    state.broken.add("c2");
    expect(await valid()).toBe(false);
    expect([state.headReads, state.fileReads]).toEqual([4, 2]);
  });

  it("on the leader takes the controller's snapshot, reading only after it was marked stale", async () => {
    const { state, snapshots, valid } = world();
    state.lead = true;
    // The controller's first PR read it; the checks that follow read nothing.
    expect((await snapshots.get()).ok).toBe(true);
    expect([await valid(), await valid()]).toEqual([true, true]);
    expect([state.headReads, state.fileReads]).toEqual([1, 1]);

    // A broken commit whose push was lost: the controller's resync marks the snapshot stale, and
    // the check and a reconcile running then share one head read.
    state.head = "c2";
    state.broken.add("c2");
    expect(await valid()).toBe(true);
    snapshots.moved();
    const [checked, reconciled] = await Promise.all([valid(), snapshots.get()]);
    expect([checked, reconciled.ok]).toEqual([false, false]);
    expect([state.headReads, state.fileReads]).toEqual([2, 2]);
  });
});
