import { describe, expect, it } from "vitest";
import {
  clusterCheckReasons,
  nodeToRead,
  type NodeFacts,
} from "../../../src/core/cluster/cluster-checks.ts";
import { combineVerdict } from "../../../src/core/cluster/combine-verdict.ts";
import { DEFAULT_REPO_CONFIG } from "../../../src/core/config/index.ts";
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import {
  kubeletClient,
  kubeletServing,
  makeCsrObject,
  userClient,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";

const checks = DEFAULT_REPO_CONFIG.clusterChecks;
const worker1: NodeFacts = {
  name: "worker-1",
  addresses: [
    { type: "InternalIP", address: "10.0.0.11" },
    { type: "ExternalIP", address: "2001:db8::11" },
    { type: "Hostname", address: "worker-1" },
    { type: "InternalDNS", address: "worker-1.nodes.internal" },
  ],
};

const decoded = (opts: MakeCsrObjectOptions) => decodeCsrObject(makeCsrObject(opts));
const codes = (opts: MakeCsrObjectOptions, node: NodeFacts | undefined, config = checks) =>
  clusterCheckReasons(decoded(opts), node, config).map((r) => r.code);

describe("cluster-aware checks", () => {
  it("name the Node to read: the requester for serving, the CN for kubelet client certificates", () => {
    expect(nodeToRead(decoded(kubeletServing("worker-1")), checks)).toBe("worker-1");
    expect(
      nodeToRead(
        decoded({ ...kubeletClient("worker-9"), username: "system:bootstrap:abc" }),
        checks,
      ),
    ).toBe("worker-9");
    expect(nodeToRead(decoded(userClient("alice")), checks)).toBeUndefined();
    const off = { ...checks, kubeletClient: { nodeExists: false } };
    expect(nodeToRead(decoded(kubeletClient("worker-9")), off)).toBeUndefined();
  });

  it.each([
    [
      "a serving CSR whose names are all the Node's",
      kubeletServing("worker-1", ["10.0.0.11", "2001:db8:0::11"]),
      worker1,
      [],
    ],
    [
      "an IP SAN the Node does not have",
      kubeletServing("worker-1", ["10.0.0.12"]),
      worker1,
      ["node-ip-not-node-address"],
    ],
    [
      "a DNS SAN the Node does not have",
      { ...kubeletServing("worker-1"), dns: ["worker-1", "api.example.com"] },
      worker1,
      ["node-dns-not-node-address"],
    ],
    [
      "a DNS SAN that is the Node's InternalDNS, in other case",
      { ...kubeletServing("worker-1"), dns: ["Worker-1.Nodes.Internal"] },
      worker1,
      [],
    ],
    [
      "a serving CSR from a node that does not exist",
      kubeletServing("worker-2"),
      undefined,
      ["node-not-found"],
    ],
    [
      "a serving CSR from a requester that is no node",
      { ...kubeletServing("worker-1"), username: "alice" },
      worker1,
      ["node-requester-not-a-node"],
    ],
    [
      "a client CSR for a node that does not exist",
      kubeletClient("worker-2"),
      undefined,
      ["node-client-node-not-found"],
    ],
    ["a client CSR for a node that exists", kubeletClient("worker-1"), worker1, []],
    ["another signer", userClient("alice"), undefined, []],
  ] satisfies [string, MakeCsrObjectOptions, NodeFacts | undefined, string[]][])(
    "%s",
    (_name, opts, node, expected) => {
      expect(codes(opts, node)).toEqual(expected);
    },
  );

  it("lets the repo config switch each check and allow extra DNS names", () => {
    const config = {
      kubeletServing: { nodeExists: true, addresses: true, extraDnsNames: ["*.svc.example.com"] },
      kubeletClient: { nodeExists: false },
    };
    expect(
      codes({ ...kubeletServing("worker-1"), dns: ["a.svc.example.com"] }, worker1, config),
    ).toEqual([]);
    expect(codes(kubeletClient("worker-2"), undefined, config)).toEqual([]);
    const off = {
      ...config,
      kubeletServing: { nodeExists: false, addresses: false, extraDnsNames: [] },
    };
    expect(codes(kubeletServing("worker-2", ["10.9.9.9"]), undefined, off)).toEqual([]);
    const addressesOnly = {
      ...config,
      kubeletServing: { nodeExists: true, addresses: false, extraDnsNames: [] },
    };
    expect(codes(kubeletServing("worker-1", ["10.9.9.9"]), worker1, addressesOnly)).toEqual([]);
  });

  it("turn an allow into a deny, keeping the policy's reasons first", () => {
    const verdict = {
      decision: "allow" as const,
      reasons: [],
      notes: [],
      requiredApprovals: 2,
      signerRule: "x",
    };
    const extra = [{ code: "node-not-found", message: "m" }];
    expect(combineVerdict(verdict, extra)).toEqual({
      ...verdict,
      decision: "deny",
      reasons: extra,
    });
    expect(combineVerdict(verdict, [])).toBe(verdict);
  });
});
