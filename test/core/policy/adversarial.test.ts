/**
 * Adversarial rows for the policy: an attacker who can create any CSR the apiserver accepts, and a
 * careless policy author. Each row is a way the policy could fail open (allow what it should deny,
 * lose a reason, lower the approvals) that is pinned shut here.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../src/core/policy/default-policy.ts";
import { matchDnsPattern } from "../../../src/core/policy/dns-pattern.ts";
import { evaluate } from "../../../src/core/policy/evaluate.ts";
import { formatPolicyError, loadPolicy } from "../../../src/core/policy/load-policy.ts";
import type { Policy } from "../../../src/core/policy/policy-schema.ts";
import {
  codes,
  decoded,
  dns,
  email,
  ip,
  type CsrSpec,
  uri,
  userClientSpec,
} from "./decoded-csr.ts";

const CUSTOM = "example.com/serving";

/** A policy with one custom serving signer whose SAN and tier rules the rows vary. */
function policyWith(extra: string): Policy {
  const text = `apiVersion: csr-gitops/v2
kind: Policy
signers:
  ${CUSTOM}:
    usages: { allowed: [digital signature, server auth] }
    keys: { ecdsaCurves: [P-256] }
${extra}`;
  const loaded = loadPolicy(text, "policy.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

function customSpec(spec: CsrSpec): CsrSpec {
  return {
    signerName: CUSTOM,
    cns: ["web"],
    orgs: [],
    username: "ci-bot",
    groups: ["system:authenticated"],
    ...spec,
  };
}

describe("DNS SANs: only well-formed host names are matched by any pattern", () => {
  const policy = policyWith(
    "    subjectAltNames: { dnsNames: ['*.example.com', '**.apps.example.com', kube.example.com], wildcardDnsNames: true }",
  );
  it.each([
    // Null-prefix attack: a C client reads "www.bank.com" up to the NUL.
    ["www.bank.com\u0000.apps.example.com"],
    ["bank\u0000.example.com"],
    ["a b.example.com"],
    ["a\tb.example.com"],
    ["a/b.example.com"],
    ["a@b.example.com"],
    ["-a.example.com"],
    ["a-.example.com"],
    [`${"a".repeat(64)}.example.com`],
    ["a.example.com."],
    ["a..apps.example.com"],
    [""],
    ["*"],
    ["*.com"],
    ["a*.example.com"],
    ["\u212Aube.example.com"], // Kelvin sign: lower-cases to "kube.example.com"
  ])("%j is denied", (name) => {
    const verdict = evaluate(policy, decoded(customSpec({ sans: [dns(name)] })));
    // A control character also gets the always-on deceptive-characters reason (see display tests).
    const ruleCodes = codes(verdict.reasons).filter((c) => c !== "deceptive-characters");
    expect(ruleCodes).toEqual(["san-dns-not-allowed"]);
  });

  it.each([
    ["API.Example.COM"],
    ["xn--bcher-kva.example.com"],
    ["_acme.example.com"],
    ["*.example.com"],
    ["a.b.apps.example.com"],
    ["KUBE.example.com"],
  ])("%j is allowed", (name) => {
    const verdict = evaluate(policy, decoded(customSpec({ sans: [dns(name)] })));
    expect(verdict.reasons).toEqual([]);
  });

  it("a pattern of just ** still refuses names that are not host names", () => {
    expect(matchDnsPattern("**", "node-1.internal")).toBe(true);
    expect(matchDnsPattern("**", "evil.com\u0000.internal")).toBe(false);
    expect(matchDnsPattern("**", "a b")).toBe(false);
  });

  it("a DNS name over 253 characters is denied even by **", () => {
    const long = Array.from({ length: 5 }, () => "a".repeat(60)).join(".");
    expect(matchDnsPattern("**", long)).toBe(false);
  });
});

describe("IP SANs: what Go's signer will actually write", () => {
  it.each([["::ffff:8.8.8.8"], ["::ffff:10.1.2.3"]])(
    "an IPv4-mapped SAN %s is denied even where ::/0 and its IPv4 block are allowed",
    (address) => {
      // Go's x509.CreateCertificate writes To4() of every IP: ::ffff:8.8.8.8 becomes 8.8.8.8.
      const policy = policyWith("    subjectAltNames: { ipAddresses: ['10.0.0.0/8', '::/0'] }");
      const verdict = evaluate(policy, decoded(customSpec({ sans: [ip(address)] })));
      expect(codes(verdict.reasons)).toEqual(["san-ip-not-allowed"]);
    },
  );

  it.each([
    ["10.0.0.0/8", "10.255.255.255", true],
    ["10.0.0.0/8", "11.0.0.0", false],
    ["10.0.0.5/32", "10.0.0.5", true],
    ["10.0.0.5/32", "10.0.0.6", false],
    ["0.0.0.0/0", "255.255.255.255", true],
    ["0.0.0.0/0", "::1", false],
    ["fd00::/8", "fd12::1", true],
    ["fd00::1/128", "fd00::2", false],
    ["::/0", "::ffff:10.0.0.1", false],
    // An IPv4-compatible (not mapped) address stays IPv6 for Go, too.
    ["10.0.0.0/8", "::10.0.0.1", false],
    ["::/0", "::10.0.0.1", true],
    // Only ::ffff:0:0/96 is IPv4-mapped: an IPv6 address with ffff elsewhere, or with a byte of
    // the ffff changed, is an ordinary IPv6 address and is judged as one.
    ["::/0", "1::ffff:a00:1", true],
    ["::/0", "::1:0:0:0:ffff:a00:1", true],
    ["::/0", "::fffe:a00:1", true],
    ["::/0", "::feff:a00:1", true],
    ["::/0", "::ff:a00:1", true],
  ])("block %s, SAN %s -> allowed %s", (block, address, allowed) => {
    const policy = policyWith(`    subjectAltNames: { ipAddresses: ['${block}'] }`);
    const verdict = evaluate(policy, decoded(customSpec({ sans: [ip(address)] })));
    expect(codes(verdict.reasons)).toEqual(allowed ? [] : ["san-ip-not-allowed"]);
  });
});

describe("email and URI SANs: control characters and extra @ are never allowed", () => {
  const policy = policyWith(
    "    subjectAltNames: { emailAddresses: ['*@example.com'], uris: ['spiffe://example.com/*'] }",
  );
  it.each([
    [email("alice@evil.com\u0000@example.com")],
    [email("alice@evil.com@example.com")],
    [email("alice @example.com")],
    [email("alice\n@example.com")],
    [email("alice\u007f@example.com")],
    [uri("spiffe://example.com/a\u0000b")],
    [uri("spiffe://example.com/a b")],
    [uri("spiffe://example.com/a\u007f")],
  ])("%j is denied", (san) => {
    const verdict = evaluate(policy, decoded(customSpec({ sans: [san] })));
    expect(verdict.decision).toBe("deny");
    // Control characters also bring a deceptive-characters reason; the SAN's own reason is exact.
    expect(codes(verdict.reasons.filter((r) => r.code !== "deceptive-characters"))).toEqual([
      san.type === "email" ? "san-email-not-allowed" : "san-uri-not-allowed",
    ]);
  });

  it.each([[email("alice@example.com")], [uri("spiffe://example.com/ns/a/sa/b")]])(
    "%j is allowed",
    (san) => {
      expect(evaluate(policy, decoded(customSpec({ sans: [san] }))).reasons).toEqual([]);
    },
  );
});

describe("subject: forbidden organisations and CNs", () => {
  // Kubernetes compares group names exactly, so "System:Masters" is not system:masters to RBAC.
  // Forbidden lists still match case-, width- and whitespace-insensitively: a look-alike can only
  // be meant to mislead a reviewer, or another consumer of the certificate that folds case.
  it.each([
    ["system:masters"],
    ["System:Masters"],
    ["SYSTEM:MASTERS"],
    [" system:masters"],
    ["system:masters "],
    ["\uff53ystem:masters"], // fullwidth s
  ])("O %j is forbidden for every signer", (org) => {
    const verdict = evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), orgs: [org] }));
    // The exact spelling is also refused by the kube-apiserver-client signer's own rule.
    expect(codes(verdict.reasons)).toEqual(
      org === "system:masters"
        ? ["org-forbidden", "signer-rule-org-system-masters"]
        : ["org-forbidden"],
    );
  });

  // Folding lower-cases: the capital sharp s "\u1E9E" lower-cases to "ß", so "WEI\u1E9E" is the
  // forbidden "weiß" (upper-casing would make "ß" "SS" and miss it).
  it.each([["weiß"], ["Weiß "], ["WEI\u1E9E"]])('O %j matches the forbidden "weiß"', (org) => {
    const policy = policyWith('forbiddenOrganizations: ["weiß"]');
    const verdict = evaluate(policy, decoded(customSpec({ orgs: [org], sans: [] })));
    expect(verdict.reasons).toEqual([
      {
        code: "org-forbidden",
        message: `organisation "${org}" is forbidden`,
        field: "request.subject.O",
      },
    ]);
  });

  it.each([["system:kube-controller-manager"], ["System:Node:node-1"], [" system:admin"]])(
    "user-client CN %j is forbidden",
    (cn) => {
      const verdict = evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), cns: [cn] }));
      expect(codes(verdict.reasons)).toEqual(["cn-forbidden"]);
    },
  );

  it("system:masters hidden among several O values is still found", () => {
    const verdict = evaluate(
      DEFAULT_POLICY,
      decoded({ ...userClientSpec(), orgs: ["developers", "system:masters"] }),
    );
    expect(codes(verdict.reasons)).toEqual(["org-forbidden", "signer-rule-org-system-masters"]);
  });

  it("two CNs are refused even when the first one is harmless (Go reads the last)", () => {
    const verdict = evaluate(
      DEFAULT_POLICY,
      decoded({ ...userClientSpec(), cns: ["alice", "system:admin"] }),
    );
    expect(codes(verdict.reasons)).toEqual(["subject-multiple-cn"]);
  });

  it("an empty subject is not a free pass for a node signer", () => {
    const verdict = evaluate(DEFAULT_POLICY, decoded({ cns: [], orgs: [] }));
    expect(verdict.decision).toBe("deny");
    expect(codes(verdict.reasons)).toEqual([
      "cn-mismatch",
      "cn-not-requester-node",
      "signer-rule-cn-not-system-node",
      "signer-rule-org-not-system-nodes",
    ]);
  });
});

describe("requester: node identities", () => {
  const kubeletClient = (node: string): CsrSpec => ({
    signerName: "kubernetes.io/kube-apiserver-client-kubelet",
    usages: ["digital signature", "client auth"],
    cns: [`system:node:${node}`],
    sans: [],
    username: `system:node:${node}`,
  });

  it.each([[""], ["a:b"], ["Node-1"], ["node_1"], ["-node"], ["node 1"]])(
    "node name %j is not a Kubernetes node name, even when CN equals the requester",
    (node) => {
      const verdict = evaluate(DEFAULT_POLICY, decoded(kubeletClient(node)));
      expect(codes(verdict.reasons)).toEqual(["cn-not-requester-node"]);
    },
  );

  it.each([["node-1"], ["ip-10-0-0-5.ec2.internal"]])("node name %j is fine", (node) => {
    expect(evaluate(DEFAULT_POLICY, decoded(kubeletClient(node))).reasons).toEqual([]);
  });

  it("a node asking for another node's name is refused", () => {
    const verdict = evaluate(
      DEFAULT_POLICY,
      decoded({ ...kubeletClient("node-1"), username: "system:node:node-2" }),
    );
    expect(codes(verdict.reasons)).toEqual(["cn-not-requester-node"]);
  });

  it("duplicated groups change nothing; a missing system:nodes group is refused", () => {
    const dup = decoded({ ...kubeletClient("node-1"), groups: ["system:nodes", "system:nodes"] });
    expect(evaluate(DEFAULT_POLICY, dup).reasons).toEqual([]);
    const none = decoded({ ...kubeletClient("node-1"), groups: ["system:masters"] });
    expect(codes(evaluate(DEFAULT_POLICY, none).reasons)).toEqual(["requester-group-missing"]);
  });
});

describe("usages", () => {
  it.each([
    [["digital signature", "server auth", "server auth"], []],
    [["server auth", "digital signature"], []],
    [
      ["digital signature", "server auth", "Server Auth"],
      ["signer-rule-usages-mismatch", "usage-not-allowed"],
    ],
    [
      ["digital signature", "server auth", "any"],
      ["signer-rule-usages-mismatch", "usage-not-allowed"],
    ],
    [[], ["signer-rule-usages-mismatch", "usage-missing", "usage-missing"]],
  ])("kubelet-serving usages %j -> %j", (usages, expected) => {
    const verdict = evaluate(DEFAULT_POLICY, decoded({ usages }));
    expect(codes(verdict.reasons)).toEqual(expected);
  });
});

describe("the Kubernetes object", () => {
  it.each([["constructor"], ["__proto__"], ["toString"], ["hasOwnProperty"]])(
    "signerName %j finds no rule",
    (signerName) => {
      const verdict = evaluate(DEFAULT_POLICY, decoded({ signerName }));
      expect(codes(verdict.reasons)).toEqual(["unknown-signer"]);
      expect(verdict.signerRule).toBeUndefined();
    },
  );

  it.each([
    ["kubernetes.io/kubelet-serving "],
    ["Kubernetes.io/kubelet-serving"],
    ["kubernetes.io/kubelet-serving/"],
  ])("signerName %j is not kubelet-serving", (signerName) => {
    const verdict = evaluate(DEFAULT_POLICY, decoded({ signerName }));
    expect(codes(verdict.reasons)).toEqual(["unknown-signer"]);
  });

  it("a policy signer key ending in __proto__ is an ordinary own key", () => {
    const policy = policyWith("");
    const loaded = loadPolicy(
      `apiVersion: csr-gitops/v2
kind: Policy
signers:
  example.com/__proto__:
    usages: { allowed: [client auth] }
    keys: { ecdsaCurves: [P-256] }
`,
      "policy.yaml",
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(Object.keys(loaded.policy.signers)).toEqual(["example.com/__proto__"]);
    const verdict = evaluate(
      loaded.policy,
      decoded(
        customSpec({ signerName: "example.com/__proto__", usages: ["client auth"], sans: [] }),
      ),
    );
    expect(verdict.reasons).toEqual([]);
    expect(
      codes(evaluate(policy, decoded(customSpec({ signerName: "example.com/__proto__" }))).reasons),
    ).toEqual(["unknown-signer"]);
  });
});

describe("approvals: nothing lowers them", () => {
  it.each([["0"], ["-1"], ["1.5"], ["21"], ["1e9"], ["'3'"], ["null"], [".inf"]])(
    "requiredApprovals %s is rejected",
    (value) => {
      const loaded = loadPolicy(
        `apiVersion: csr-gitops/v2\nkind: Policy\nrequiredApprovals: ${value}\nsigners: {}\n`,
        "p.yaml",
      );
      expect(loaded.ok ? [] : loaded.errors).toMatchObject([
        { file: "p.yaml", line: 3, field: "requiredApprovals" },
      ]);
    },
  );

  it("a tier or signer asking for fewer approvals than the policy minimum does not lower it", () => {
    const policy = policyWith(`    requiredApprovals: 1
    subjectAltNames: { dnsNames: ['*.example.com'] }
    tiers:
      - { name: low, when: { keyAlgorithms: [ECDSA] }, requiredApprovals: 1 }`);
    const verdict = evaluate(policy, decoded(customSpec({ sans: [dns("a.example.com")] })));
    expect(verdict.requiredApprovals).toBe(2);
  });

  it("omitting expirationSeconds does not dodge a long-lifetime tier (the signer's default may be a year)", () => {
    const policy = policyWith(`    subjectAltNames: { dnsNames: ['*.example.com'] }
    tiers:
      - { name: long-lived, when: { expirationSecondsAbove: 86400 }, requiredApprovals: 4 }`);
    const unset = decoded(
      customSpec({ sans: [dns("a.example.com")], expirationSeconds: undefined }),
    );
    expect(evaluate(policy, unset).requiredApprovals).toBe(4);
    const short = decoded(customSpec({ sans: [dns("a.example.com")], expirationSeconds: 3600 }));
    expect(evaluate(policy, short).requiredApprovals).toBe(2);
  });

  describe("a wildcard name cannot dodge a DNS tier for a name it covers", () => {
    const policy =
      policyWith(`    subjectAltNames: { dnsNames: ['**.example.com'], wildcardDnsNames: true }
    tiers:
      - { name: prod-db, when: { dnsNames: [db.prod.example.com] }, requiredApprovals: 4 }
      - { name: payments, when: { dnsNames: ['**.pay.example.com'] }, requiredApprovals: 3 }`);
    it.each([
      ["db.prod.example.com", 4],
      ["*.prod.example.com", 4],
      ["DB.prod.example.com", 4],
      ["*.example.com", 2],
      ["*.a.prod.example.com", 2],
      ["web.prod.example.com", 2],
      ["*.pay.example.com", 3],
      ["*.x.pay.example.com", 3],
      ["a.pay.example.com", 3],
    ])("%s needs %i approvals", (name, approvals) => {
      const verdict = evaluate(policy, decoded(customSpec({ sans: [dns(name)] })));
      expect(verdict.reasons).toEqual([]);
      expect(verdict.requiredApprovals).toBe(approvals);
    });
  });

  it("the deny verdict of an undecodable CSR carries the policy-wide minimum, not a signer's", () => {
    const policy = policyWith("    requiredApprovals: 5");
    const verdict = evaluate(policy, {
      ok: false,
      error: { code: "malformed-der", message: "x" },
      object: undefined,
    });
    expect(verdict.decision).toBe("deny");
    expect(verdict.reasons).toEqual([{ code: "undecodable", message: "x", field: "spec.request" }]);
    // The signer rule's 5 is not read: without a decoded request there is nothing to apply it to.
    expect(verdict.requiredApprovals).toBe(2);
  });
});

describe("policy YAML cannot smuggle fields past the schema", () => {
  const base = `apiVersion: csr-gitops/v2
kind: Policy
`;
  it.each([
    [
      "a merge key",
      `${base}<<: { requiredApprovals: 3 }\nsigners: {}\n`,
      'p.yaml:3:1: ["<<"]: unknown key',
    ],
    [
      "a merge key into a signer rule",
      `${base}signers:\n  example.com/x:\n    <<: { requiredApprovals: 1 }\n    usages: { allowed: [client auth] }\n    keys: { ed25519: true }\n`,
      'p.yaml:5:5: signers["example.com/x"]["<<"]: unknown key',
    ],
    [
      "a duplicate key",
      `${base}requiredApprovals: 3\nrequiredApprovals: 1\nsigners: {}\n`,
      "p.yaml:4:1: Map keys must be unique",
    ],
    [
      "a duplicate signer",
      `${base}signers:\n  example.com/x: { usages: { allowed: [client auth] }, keys: { ed25519: true } }\n  example.com/x: { usages: { allowed: [any] }, keys: { ed25519: true } }\n`,
      "p.yaml:5:3: Map keys must be unique",
    ],
    [
      "an unknown key",
      `${base}requiredAprovals: 1\nsigners: {}\n`,
      "p.yaml:3:1: requiredAprovals: unknown key",
    ],
    [
      "a __proto__ key",
      `${base}__proto__: { requiredApprovals: 1 }\nsigners: {}\n`,
      "p.yaml:3:1: __proto__: unknown key",
    ],
    [
      "an unknown tag",
      `${base}requiredApprovals: !approvals 3\nsigners: {}\n`,
      "p.yaml:3:20: Unresolved tag: !approvals",
    ],
  ])("%s is rejected with its position", (_name, text, expected) => {
    const loaded = loadPolicy(text, "p.yaml");
    expect(loaded.ok ? [] : loaded.errors.map(formatPolicyError)).toEqual([
      expect.stringContaining(expected),
    ]);
  });

  it("an anchor reused across signers is read as written (no field is dropped)", () => {
    const loaded = loadPolicy(
      `${base}signers:
  example.com/a: &rule { usages: { allowed: [client auth] }, keys: { ed25519: true }, requiredApprovals: 3 }
  example.com/b: *rule
`,
      "p.yaml",
    );
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.policy.signers["example.com/b"]?.requiredApprovals).toBe(3);
  });
});
