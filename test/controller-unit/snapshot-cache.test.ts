import { describe, expect, it } from "vitest";
import type { SnapshotResult } from "../../src/controller/audit-repo-snapshot.ts";
import { builtinTemplates } from "../../src/controller/builtin-templates.ts";
import { AuditRepoSnapshots } from "../../src/controller/snapshot-cache.ts";
import { DEFAULT_POLICY } from "../../src/core/policy/index.ts";
import { loadConfig } from "../../src/core/config/index.ts";

function snapshotAt(commit: string): SnapshotResult {
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

/** A default branch whose head the test moves, counting the reads the cache makes. */
function world(maxAgeMs = 60_000) {
  const state = { head: "c1", now: 0, headReads: 0, fileReads: [] as string[], fail: false };
  const cache = new AuditRepoSnapshots(
    {
      head: () => {
        state.headReads += 1;
        return state.fail ? Promise.reject(new Error("502")) : Promise.resolve(state.head);
      },
      readAt: (commit) => {
        state.fileReads.push(commit);
        return Promise.resolve(snapshotAt(commit));
      },
    },
    maxAgeMs,
    () => state.now,
  );
  const commitOf = async (fresh = false): Promise<string> => {
    const result = await cache.get(fresh);
    return result.ok ? result.snapshot.baseCommit : "broken";
  };
  return { state, cache, commitOf };
}

describe("the audit repo snapshot cache", () => {
  it("reads the head once per max age and the files once per head commit", async () => {
    const { state, commitOf } = world();
    expect(await Promise.all([commitOf(), commitOf(), commitOf()])).toEqual(["c1", "c1", "c1"]);
    state.now = 59_999;
    expect(await commitOf()).toBe("c1");
    expect([state.headReads, state.fileReads]).toEqual([1, ["c1"]]);

    // The head is checked again after the max age; unchanged, the files are not read again.
    state.now = 60_000;
    expect(await commitOf()).toBe("c1");
    expect([state.headReads, state.fileReads]).toEqual([2, ["c1"]]);

    // Moved: the next check after the max age reads the files at the new head.
    state.head = "c2";
    state.now = 90_000;
    expect(await commitOf()).toBe("c1");
    state.now = 120_000;
    expect(await commitOf()).toBe("c2");
    expect([state.headReads, state.fileReads]).toEqual([3, ["c1", "c2"]]);
  });

  it("a push (moved) or a fresh request checks the head at once", async () => {
    const { state, cache, commitOf } = world();
    expect(await commitOf()).toBe("c1");
    state.head = "c2";
    expect(await commitOf()).toBe("c1");
    cache.moved();
    expect(await commitOf()).toBe("c2");
    state.head = "c3";
    expect(await commitOf(true)).toBe("c3");
    expect(await commitOf()).toBe("c3");
    expect([state.headReads, state.fileReads]).toEqual([3, ["c1", "c2", "c3"]]);
  });

  it("with an infinite max age (push webhooks wired), only a push or a fresh request checks", async () => {
    const { state, cache, commitOf } = world(Number.POSITIVE_INFINITY);
    expect(await commitOf()).toBe("c1");
    state.head = "c2";
    state.now = 7 * 24 * 3_600_000;
    expect(await commitOf()).toBe("c1");
    expect(state.headReads).toBe(1);
    cache.moved();
    expect(await commitOf()).toBe("c2");
    expect(await commitOf()).toBe("c2");
    expect([state.headReads, state.fileReads]).toEqual([2, ["c1", "c2"]]);
  });

  it("a failed head read is not kept: the next get reads again", async () => {
    const { state, commitOf } = world();
    state.fail = true;
    await expect(commitOf()).rejects.toThrow("502");
    state.fail = false;
    expect(await commitOf()).toBe("c1");
    expect(state.headReads).toBe(2);
  });
});
