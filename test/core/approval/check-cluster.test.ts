import { describe, expect, it } from "vitest";
import { approvalProgress, decideApproval } from "../../../src/core/approval/decide.ts";
import type { ApprovalSnapshot, NodeRead } from "../../../src/core/approval/snapshot.ts";
import { DEFAULT_REPO_CONFIG } from "../../../src/core/config/config-schema.ts";
import { dns, ip, kubeletClientSpec, userClientSpec } from "../policy/decoded-csr.ts";
import { liveCsr, withFacts } from "./snapshot-fixture.ts";

function refusals(s: ApprovalSnapshot): { code: string; message: string }[] {
  const d = decideApproval(s);
  return d.approve ? [] : d.refusals.map((r) => ({ code: r.code, message: r.message }));
}

const node1 = (...addresses: [string, string][]): NodeRead => ({
  kind: "read",
  name: "node-1",
  node: { name: "node-1", addresses: addresses.map(([type, address]) => ({ type, address })) },
});

const checksOff = {
  kubeletServing: { nodeExists: false, addresses: false, extraDnsNames: [] },
  kubeletClient: { nodeExists: false },
};

describe("the controller's cluster-aware checks, run again at merge time", () => {
  it("approves when the Node still has the certificate's names and addresses", () => {
    const s = withFacts({ node: node1(["InternalIP", "10.0.0.5"], ["Hostname", "node-1"]) });
    expect(decideApproval(s).approve).toBe(true);
  });

  it("refuses when the Node was deleted since the PR was opened", () => {
    expect(
      refusals(withFacts({ node: { kind: "read", name: "node-1", node: undefined } })),
    ).toEqual([
      {
        code: "cluster-check-fails",
        message: 'node-not-found: no Node named "node-1" exists in the cluster',
      },
    ]);
  });

  it("refuses when the Node's addresses changed: the IP SAN is none of them now", () => {
    const s = withFacts({ node: node1(["InternalIP", "10.0.0.6"], ["Hostname", "node-1"]) });
    expect(refusals(s)).toEqual([
      {
        code: "cluster-check-fails",
        message: 'node-ip-not-node-address: IP SAN 10.0.0.5 is not an address of Node "node-1"',
      },
    ]);
  });

  it("refuses a DNS SAN that is no longer a name of the Node", () => {
    const s = withFacts({ node: node1(["InternalIP", "10.0.0.5"], ["Hostname", "node-2"]) });
    expect(refusals(s).map((r) => r.message)).toEqual([
      'node-dns-not-node-address: DNS SAN "node-1" is not a name of Node "node-1"',
    ]);
  });

  it("fails closed when the Node could not be read", () => {
    const s = withFacts({ node: { kind: "error", name: "node-1", error: "HTTP 503" } });
    expect(refusals(s)).toEqual([
      { code: "node-unreadable", message: 'Node "node-1" could not be read: HTTP 503' },
    ]);
  });

  it("fails closed when the Node needed was not read, or another Node was", () => {
    expect(refusals(withFacts({ node: { kind: "not-needed" } }))).toEqual([
      { code: "node-unreadable", message: 'Node "node-1" was not read before deciding' },
    ]);
    const other: NodeRead = {
      kind: "read",
      name: "node-2",
      node: { name: "node-2", addresses: [{ type: "InternalIP", address: "10.0.0.5" }] },
    };
    expect(refusals(withFacts({ node: other })).map((r) => r.code)).toEqual(["node-unreadable"]);
  });

  it("refuses a kubelet client certificate for a Node that no longer exists", () => {
    const s = withFacts({
      live: liveCsr(kubeletClientSpec("node-7")),
      node: { kind: "read", name: "node-7", node: undefined },
    });
    expect(refusals(s)).toContainEqual({
      code: "cluster-check-fails",
      message: 'node-client-node-not-found: no Node named "node-7" exists in the cluster',
    });
  });

  it("refuses a kubelet-serving CSR whose requester is not a node, without reading any Node", () => {
    const s = withFacts({
      live: liveCsr({ username: "mallory", sans: [dns("node-1"), ip("10.0.0.5")] }),
      node: { kind: "not-needed" },
    });
    expect(refusals(s).map((r) => r.message)).toContain(
      'node-requester-not-a-node: the requester "mallory" is not a node',
    );
  });

  it("needs no Node when the config switches the checks off, or for another signer", () => {
    const off = withFacts({
      configAtBase: { ok: true, clusterChecks: checksOff },
      node: { kind: "not-needed" },
    });
    expect(decideApproval(off).approve).toBe(true);
    const user = withFacts({ live: liveCsr(userClientSpec()), node: { kind: "not-needed" } });
    expect(refusals(user).map((r) => r.code)).not.toContain("node-unreadable");
    expect(refusals(user).map((r) => r.code)).not.toContain("cluster-check-fails");
  });

  it("adds nothing when the config is broken or the CSR is gone (those refuse by themselves)", () => {
    const broken = withFacts({ configAtBase: { ok: false, error: "bad" }, node: node1() });
    expect(refusals(broken).map((r) => r.code)).toEqual(["config-invalid"]);
    const gone = withFacts({ live: { present: false }, node: { kind: "not-needed" } });
    expect(refusals(gone).map((r) => r.code)).toEqual(["csr-missing"]);
  });

  it("shows a failing check on an open PR as a blocker", () => {
    const open = withFacts(
      { node: { kind: "read", name: "node-1", node: undefined } },
      { state: "open", merged: false, mergedAt: null, mergeCommitSha: null },
    );
    expect(approvalProgress(open).blockers.map((b) => b.code)).toEqual(["cluster-check-fails"]);
    expect(DEFAULT_REPO_CONFIG.clusterChecks.kubeletServing.addresses).toBe(true);
  });
});
