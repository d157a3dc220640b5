/**
 * Every risk-tier test of docs/policy.md, each shown to apply and shown not to apply, with the
 * exact number of approvals that results. A tier that silently never applies lowers what a risky
 * CSR needs, and one that always applies hides which CSRs are risky: both must fail here.
 */
import { describe, expect, it } from "vitest";
import { evaluate, loadPolicy, type Policy } from "../../../src/core/policy/index.ts";
import type { TierCondition } from "../../../src/core/policy/policy-schema.ts";
import { decoded, dns, email, ip, P256, rsa, type CsrSpec } from "./decoded-csr.ts";

const SIGNER = "example.com/svc";
const TIER_APPROVALS = 7;

/** A permissive signer rule and one policy-level tier with `when`; minimum 2 approvals. */
function policyWith(when: TierCondition): Policy {
  const loaded = loadPolicy(
    JSON.stringify({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 2,
      forbiddenOrganizations: [],
      tiers: [{ name: "the-tier", when, requiredApprovals: TIER_APPROVALS }],
      signers: {
        [SIGNER]: {
          usages: { allowed: ["server auth", "client auth", "digital signature"] },
          subjectAltNames: {
            dnsNames: ["**"],
            wildcardDnsNames: true,
            ipAddresses: ["0.0.0.0/0", "::/0"],
            emailAddresses: ["*"],
          },
          keys: { rsaMinBits: 2048, ecdsaCurves: ["P-256"] },
        },
      },
    }),
    "tiers.json",
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

const base: CsrSpec = {
  signerName: SIGNER,
  usages: ["server auth"],
  cns: ["svc"],
  orgs: ["team-a"],
  sans: [dns("a.example.com")],
  key: P256,
  username: "svc-deployer",
  groups: ["deployers", "system:authenticated"],
  expirationSeconds: 3600,
};

type Row = [string, TierCondition, CsrSpec];

const applies: Row[] = [
  ["keyAlgorithms: the key is one of them", { keyAlgorithms: ["ECDSA"] }, {}],
  ["keyAlgorithms: RSA among several", { keyAlgorithms: ["Ed25519", "RSA"] }, { key: rsa(2048) }],
  ["rsaBitsBelow: one bit fewer", { rsaBitsBelow: 3072 }, { key: rsa(3071) }],
  ["sanCountAbove: one more SAN", { sanCountAbove: 1 }, { sans: [dns("a"), ip("10.0.0.1")] }],
  ["sanCountAbove 0: any SAN at all", { sanCountAbove: 0 }, {}],
  ["commonNames: an exact CN", { commonNames: ["svc"] }, {}],
  ["commonNames: a glob", { commonNames: ["nope", "s*"] }, {}],
  ["organizations: the second O matches", { organizations: ["ops"] }, { orgs: ["dev", "ops"] }],
  ["organizations: a glob", { organizations: ["team-*"] }, {}],
  [
    "dnsNames: the name itself",
    { dnsNames: ["db.prod.example.com"] },
    { sans: [dns("db.prod.example.com")] },
  ],
  [
    "dnsNames: the second of two patterns",
    { dnsNames: ["a.prod.example.com", "b.prod.example.com"] },
    { sans: [dns("b.prod.example.com")] },
  ],
  [
    "dnsNames: a later SAN matches",
    { dnsNames: ["*.prod.example.com"] },
    { sans: [dns("a.example.com"), dns("x.prod.example.com")] },
  ],
  [
    "dnsNames: a wildcard request covering the named host",
    { dnsNames: ["db.prod.example.com"] },
    { sans: [dns("*.prod.example.com")] },
  ],
  ["usages: one of them requested", { usages: ["client auth", "server auth"] }, {}],
  [
    "usages: the second requested usage",
    { usages: ["client auth"] },
    { usages: ["server auth", "client auth"] },
  ],
  ["expirationSecondsAbove: one second more", { expirationSecondsAbove: 3599 }, {}],
  [
    "expirationSecondsAbove: unset counts as above",
    { expirationSecondsAbove: 10 ** 9 },
    { expirationSeconds: undefined },
  ],
  ["expirationUnset: unset", { expirationUnset: true }, { expirationSeconds: undefined }],
  ["requesterUsernames: exact", { requesterUsernames: ["svc-deployer"] }, {}],
  ["requesterUsernames: a glob", { requesterUsernames: ["svc-*"] }, {}],
  ["requesterGroups: the first group", { requesterGroups: ["deployers"] }, {}],
  ["requesterGroups: any of several", { requesterGroups: ["admins", "system:authenticated"] }, {}],
  [
    "several tests, all hold",
    { keyAlgorithms: ["RSA"], rsaBitsBelow: 3072, organizations: ["team-a"] },
    { key: rsa(2048) },
  ],
];

const doesNotApply: Row[] = [
  ["keyAlgorithms: another algorithm", { keyAlgorithms: ["RSA", "Ed25519"] }, {}],
  ["rsaBitsBelow: exactly the bound", { rsaBitsBelow: 3072 }, { key: rsa(3072) }],
  ["rsaBitsBelow: not an RSA key", { rsaBitsBelow: 100_000 }, {}],
  ["sanCountAbove: exactly the bound", { sanCountAbove: 2 }, { sans: [dns("a"), dns("b")] }],
  ["sanCountAbove 0: no SAN", { sanCountAbove: 0 }, { sans: [] }],
  ["commonNames: no match", { commonNames: ["web", "s"] }, {}],
  ["commonNames: glob does not match", { commonNames: ["x*"] }, {}],
  ["organizations: no O matches", { organizations: ["ops"] }, { orgs: ["dev", "team-a"] }],
  ["organizations: no O at all", { organizations: ["*"] }, { orgs: [] }],
  [
    "dnsNames: another name",
    { dnsNames: ["db.prod.example.com"] },
    { sans: [dns("db.test.example.com")] },
  ],
  [
    "dnsNames: only IP and email SANs",
    { dnsNames: ["**"] },
    { sans: [ip("10.0.0.1"), email("a@example.com")] },
  ],
  ["usages: none requested", { usages: ["client auth"] }, {}],
  ["expirationSecondsAbove: exactly the bound", { expirationSecondsAbove: 3600 }, {}],
  ["expirationUnset: set", { expirationUnset: true }, {}],
  ["requesterUsernames: no match", { requesterUsernames: ["svc", "deployer*"] }, {}],
  ["requesterGroups: in none", { requesterGroups: ["admins", "deployer"] }, {}],
  [
    "several tests, one does not hold",
    { keyAlgorithms: ["RSA"], rsaBitsBelow: 2048, organizations: ["team-a"] },
    { key: rsa(2048) },
  ],
];

describe("each risk-tier test", () => {
  it.each(applies)("%s: applies", (_name, when, spec) => {
    const verdict = evaluate(policyWith(when), decoded({ ...base, ...spec }));
    expect(verdict.decision).toBe("allow");
    expect(verdict.requiredApprovals).toBe(TIER_APPROVALS);
    expect(verdict.notes).toEqual([
      {
        code: "tier-applied",
        message: `risk tier "the-tier" applies: ${TIER_APPROVALS} approvals required`,
      },
    ]);
  });

  it.each(doesNotApply)("%s: does not apply", (_name, when, spec) => {
    const verdict = evaluate(policyWith(when), decoded({ ...base, ...spec }));
    expect(verdict.decision).toBe("allow");
    expect(verdict.requiredApprovals).toBe(2);
    expect(verdict.notes).toEqual([]);
  });
});

describe("tiers on a bare PEM request (no Kubernetes object)", () => {
  const bare: CsrSpec = { ...base, bare: true };
  it.each<[string, TierCondition, number]>([
    ["a request test still applies", { keyAlgorithms: ["ECDSA"] }, TIER_APPROVALS],
    [
      "expirationSecondsAbove: no object means no bound",
      { expirationSecondsAbove: 1 },
      TIER_APPROVALS,
    ],
    ["expirationUnset: no object means unset", { expirationUnset: true }, TIER_APPROVALS],
    ["usages: nothing requested", { usages: ["server auth"] }, 2],
    ["requesterUsernames: no requester", { requesterUsernames: ["*"] }, 2],
    ["requesterGroups: no requester", { requesterGroups: ["deployers"] }, 2],
  ])("%s", (_name, when, approvals) => {
    const verdict = evaluate(policyWith(when), decoded(bare));
    expect(verdict.reasons.map((r) => r.code)).toEqual(["no-kubernetes-object"]);
    expect(verdict.requiredApprovals).toBe(approvals);
  });
});

describe("how tiers combine", () => {
  function load(text: object): Policy {
    const loaded = loadPolicy(JSON.stringify(text), "combine.json");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    return loaded.policy;
  }
  const rule = {
    usages: { allowed: ["server auth"] },
    subjectAltNames: { dnsNames: ["**"] },
    keys: { ecdsaCurves: ["P-256"] },
  };
  const spec: CsrSpec = { ...base, orgs: [] };

  it("a signer-level tier raises above the policy's and the rule's own count; notes keep order", () => {
    const policy = load({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 2,
      tiers: [{ name: "p-tier", when: { keyAlgorithms: ["ECDSA"] }, requiredApprovals: 3 }],
      signers: {
        [SIGNER]: {
          ...rule,
          requiredApprovals: 4,
          tiers: [{ name: "s-tier", when: { sanCountAbove: 0 }, requiredApprovals: 6 }],
        },
      },
    });
    const verdict = evaluate(policy, decoded(spec));
    expect(verdict.requiredApprovals).toBe(6);
    expect(verdict.notes.map((n) => n.message)).toEqual([
      'risk tier "p-tier" applies (asks 3; 4 already required)',
      'risk tier "s-tier" applies: 6 approvals required',
    ]);
  });

  it("a tier asking exactly the current count says it did not raise it", () => {
    const policy = load({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 3,
      tiers: [{ name: "same", when: { keyAlgorithms: ["ECDSA"] }, requiredApprovals: 3 }],
      signers: { [SIGNER]: rule },
    });
    const verdict = evaluate(policy, decoded(spec));
    expect(verdict.requiredApprovals).toBe(3);
    expect(verdict.notes.map((n) => n.message)).toEqual([
      'risk tier "same" applies (asks 3; 3 already required)',
    ]);
  });

  it("a signer rule's own count below the policy minimum does not lower it", () => {
    const policy = load({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 3,
      signers: { [SIGNER]: { ...rule, requiredApprovals: 1 } },
    });
    expect(evaluate(policy, decoded(spec)).requiredApprovals).toBe(3);
  });

  it("a signer rule's count above the minimum applies without any tier", () => {
    const policy = load({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 2,
      signers: { [SIGNER]: { ...rule, requiredApprovals: 5 } },
    });
    const verdict = evaluate(policy, decoded(spec));
    expect(verdict.requiredApprovals).toBe(5);
    expect(verdict.signerRule).toBe(SIGNER);
  });

  it("another signer's tiers do not apply", () => {
    const policy = load({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 2,
      signers: {
        [SIGNER]: rule,
        "example.com/other": {
          ...rule,
          tiers: [{ name: "other", when: { keyAlgorithms: ["ECDSA"] }, requiredApprovals: 9 }],
        },
      },
    });
    const verdict = evaluate(policy, decoded(spec));
    expect(verdict.requiredApprovals).toBe(2);
    expect(verdict.notes).toEqual([]);
  });

  it("an unknown signer gets the policy-level tiers and still a deny", () => {
    const policy = load({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      requiredApprovals: 2,
      tiers: [{ name: "p-tier", when: { keyAlgorithms: ["ECDSA"] }, requiredApprovals: 4 }],
      signers: { [SIGNER]: rule },
    });
    const verdict = evaluate(policy, decoded({ ...spec, signerName: "example.com/unknown" }));
    expect(verdict.decision).toBe("deny");
    expect(verdict.reasons.map((r) => r.code)).toEqual(["unknown-signer"]);
    expect(verdict.requiredApprovals).toBe(4);
    expect(verdict.signerRule).toBeUndefined();
  });
});
