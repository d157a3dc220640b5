/**
 * The cluster-aware reasons as the reviewer reads them (code, sentence and field), which Node is
 * read for which CSR, and the address comparison at its edges (address types, IP versions,
 * spellings of one address).
 */
import { describe, expect, it } from "vitest";
import {
  clusterCheckReasons,
  nodeNameOf,
  nodeToRead,
  type ClusterChecksConfig,
  type NodeFacts,
} from "../../../src/core/cluster/cluster-checks.ts";
import { combineVerdict } from "../../../src/core/cluster/combine-verdict.ts";
import { DEFAULT_REPO_CONFIG } from "../../../src/core/config/index.ts";
import { decodeCsrObject, decodeCsrPem } from "../../../src/core/csr/decode.ts";
import type { DecodeResult } from "../../../src/core/csr/types.ts";
import {
  kubeletClient,
  kubeletServing,
  makeCsrObject,
  makeCsrPem,
  type MakeCsrObjectOptions,
} from "../../support/make-csr.ts";

const checks = DEFAULT_REPO_CONFIG.clusterChecks;
const decoded = (opts: MakeCsrObjectOptions): DecodeResult => decodeCsrObject(makeCsrObject(opts));

const node = (...addresses: [type: string, address: string][]): NodeFacts => ({
  name: "worker-1",
  addresses: addresses.map(([type, address]) => ({ type, address })),
});

const serving = (dns: string[], ips: string[]): MakeCsrObjectOptions => ({
  ...kubeletServing("worker-1", ips),
  dns,
});

const config = (
  kubeletServing: Partial<ClusterChecksConfig["kubeletServing"]>,
  kubeletClient: Partial<ClusterChecksConfig["kubeletClient"]> = {},
): ClusterChecksConfig => ({
  kubeletServing: { ...checks.kubeletServing, ...kubeletServing },
  kubeletClient: { ...checks.kubeletClient, ...kubeletClient },
});

describe("the reasons, whole", () => {
  it("an IP and a DNS name the Node does not have, each at its own SAN index", () => {
    const reasons = clusterCheckReasons(
      decoded(serving(["worker-1", "api.example.com"], ["10.0.0.11", "10.0.0.12"])),
      node(["InternalIP", "10.0.0.11"], ["Hostname", "worker-1"]),
      checks,
    );
    expect(reasons).toEqual([
      {
        code: "node-dns-not-node-address",
        message: 'DNS SAN "api.example.com" is not a name of Node "worker-1"',
        field: "request.subjectAltNames[1]",
      },
      {
        code: "node-ip-not-node-address",
        message: 'IP SAN 10.0.0.12 is not an address of Node "worker-1"',
        field: "request.subjectAltNames[3]",
      },
    ]);
  });

  it("a serving CSR whose Node does not exist: one reason, naming it", () => {
    expect(clusterCheckReasons(decoded(kubeletServing("worker-2")), undefined, checks)).toEqual([
      {
        code: "node-not-found",
        message: 'no Node named "worker-2" exists in the cluster',
        field: "spec.username",
      },
    ]);
  });

  it("a serving CSR from a requester that is no node", () => {
    const opts = { ...kubeletServing("worker-1"), username: "system:serviceaccount:x:y" };
    expect(clusterCheckReasons(decoded(opts), undefined, checks)).toEqual([
      {
        code: "node-requester-not-a-node",
        message: 'the requester "system:serviceaccount:x:y" is not a node',
        field: "spec.username",
      },
    ]);
  });

  it("a client CSR for a Node that does not exist", () => {
    expect(clusterCheckReasons(decoded(kubeletClient("worker-2")), undefined, checks)).toEqual([
      {
        code: "node-client-node-not-found",
        message: 'no Node named "worker-2" exists in the cluster',
        field: "request.subject.commonName",
      },
    ]);
  });
});

describe("address comparison", () => {
  const reasonsFor = (dns: string[], ips: string[], facts: NodeFacts, cfg = checks) =>
    clusterCheckReasons(decoded(serving(dns, ips)), facts, cfg).map((r) => r.code);

  it("IP SANs are compared with the Node's InternalIP and ExternalIP only", () => {
    expect(reasonsFor([], ["10.0.0.11"], node(["ExternalIP", "10.0.0.11"]))).toEqual([]);
    expect(reasonsFor([], ["10.0.0.11"], node(["Hostname", "10.0.0.11"]))).toEqual([
      "node-ip-not-node-address",
    ]);
    expect(reasonsFor([], ["10.0.0.11"], node(["InternalDNS", "10.0.0.11"]))).toEqual([
      "node-ip-not-node-address",
    ]);
  });

  it("DNS SANs are compared with Hostname, InternalDNS and ExternalDNS only, ignoring case", () => {
    for (const type of ["Hostname", "InternalDNS", "ExternalDNS"])
      expect(reasonsFor(["Worker-1.Example"], [], node([type, "worker-1.EXAMPLE"]))).toEqual([]);
    expect(reasonsFor(["worker-1"], [], node(["InternalIP", "worker-1"]))).toEqual([
      "node-dns-not-node-address",
    ]);
  });

  it("one IPv6 address in two spellings is the same address", () => {
    expect(reasonsFor([], ["2001:db8::11"], node(["InternalIP", "2001:DB8:0:0::11"]))).toEqual([]);
  });

  it("an IPv4 address is not its IPv4-mapped IPv6 form, and a Node address that does not parse matches nothing", () => {
    expect(reasonsFor([], ["10.0.0.11"], node(["InternalIP", "::ffff:10.0.0.11"]))).toEqual([
      "node-ip-not-node-address",
    ]);
    expect(reasonsFor([], ["10.0.0.11"], node(["InternalIP", "10.0.0.011x"]))).toEqual([
      "node-ip-not-node-address",
    ]);
    expect(reasonsFor([], ["10.0.0.11"], node(["InternalIP", "10.0.0.1"]))).toEqual([
      "node-ip-not-node-address",
    ]);
  });

  it("extraDnsNames admits names the Node does not list, and only those", () => {
    const cfg = config({ extraDnsNames: ["*.svc.example.com"] });
    expect(reasonsFor(["a.svc.example.com"], [], node(), cfg)).toEqual([]);
    expect(reasonsFor(["a.svc.example.org"], [], node(), cfg)).toEqual([
      "node-dns-not-node-address",
    ]);
  });

  it("with only nodeExists on, a Node that exists is enough", () => {
    const cfg = config({ nodeExists: true, addresses: false });
    expect(reasonsFor(["elsewhere"], ["10.9.9.9"], node(), cfg)).toEqual([]);
  });

  it("with only addresses on, a missing Node is still a reason (nothing to compare with)", () => {
    const cfg = config({ nodeExists: false, addresses: true });
    expect(
      clusterCheckReasons(decoded(kubeletServing("worker-2")), undefined, cfg).map((r) => r.code),
    ).toEqual(["node-not-found"]);
    expect(reasonsFor([], ["10.9.9.9"], node(), cfg)).toEqual(["node-ip-not-node-address"]);
  });
});

describe("checks that do not apply", () => {
  it("an undecodable CSR or a bare PEM gets no cluster reason and no Node read", () => {
    const garbage: DecodeResult = decodeCsrPem("not a PEM");
    expect(garbage.ok).toBe(false);
    expect(clusterCheckReasons(garbage, undefined, checks)).toEqual([]);
    expect(nodeToRead(garbage, checks)).toBeUndefined();
    const bare = decodeCsrPem(makeCsrPem(kubeletServing("worker-2")));
    expect(bare.ok).toBe(true);
    expect(clusterCheckReasons(bare, undefined, checks)).toEqual([]);
    expect(nodeToRead(bare, checks)).toBeUndefined();
  });

  it("a client CSR whose CN names no node is left to the policy", () => {
    const opts = { ...kubeletClient("worker-1"), subject: { CN: "worker-1", O: ["system:nodes"] } };
    expect(clusterCheckReasons(decoded(opts), undefined, checks)).toEqual([]);
    expect(nodeToRead(decoded(opts), checks)).toBeUndefined();
  });

  it("a client CSR with the node check off reads no Node and gives no reason", () => {
    const cfg = config({}, { nodeExists: false });
    expect(clusterCheckReasons(decoded(kubeletClient("worker-2")), undefined, cfg)).toEqual([]);
  });
});

describe("which Node is read", () => {
  it.each<[string, Partial<ClusterChecksConfig["kubeletServing"]>, string | undefined]>([
    ["both checks on", { nodeExists: true, addresses: true }, "worker-1"],
    ["only nodeExists", { nodeExists: true, addresses: false }, "worker-1"],
    ["only addresses", { nodeExists: false, addresses: true }, "worker-1"],
    ["both off", { nodeExists: false, addresses: false }, undefined],
  ])("serving, %s", (_name, serving, expected) => {
    expect(nodeToRead(decoded(kubeletServing("worker-1")), config(serving))).toBe(expected);
  });

  it("serving from a requester that is no node: none", () => {
    const opts = { ...kubeletServing("worker-1"), username: "alice" };
    expect(nodeToRead(decoded(opts), checks)).toBeUndefined();
  });
});

describe("nodeNameOf", () => {
  it.each([
    ["system:node:worker-1", "worker-1"],
    ["system:node:a:b", "a:b"],
    ["system:node:", undefined],
    ["x-system:node:worker-1", undefined],
    ["system:nodes", undefined],
  ])("%j -> %j", (identity, expected) => {
    expect(nodeNameOf(identity)).toBe(expected);
  });
});

describe("combineVerdict", () => {
  it("keeps a deny's own reasons first and adds the cluster's after them", () => {
    const verdict = {
      decision: "deny" as const,
      reasons: [{ code: "san-dns-not-allowed", message: "p" }],
      notes: [],
      requiredApprovals: 3,
      signerRule: "kubernetes.io/kubelet-serving",
    };
    const extra = [{ code: "node-not-found", message: "m", field: "spec.username" }];
    expect(combineVerdict(verdict, extra)).toEqual({
      ...verdict,
      reasons: [...verdict.reasons, ...extra],
    });
  });
});
