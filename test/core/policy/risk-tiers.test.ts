import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_INPUT } from "../../../src/core/policy/default-policy.ts";
import { evaluate, loadPolicy, PolicySchema, type Policy } from "../../../src/core/policy/index.ts";
import { codes, decoded, dns, rsa, type CsrSpec } from "./decoded-csr.ts";

const policyText = `apiVersion: csr-gitops/v2
kind: Policy
requiredApprovals: 2
tiers:
  - name: rsa-key
    when: { keyAlgorithms: [RSA] }
    requiredApprovals: 3
  - name: lower-is-ignored
    when: { organizations: ["ops"] }
    requiredApprovals: 1
signers:
  example.com/svc:
    requiredApprovals: 2
    usages: { allowed: [server auth] }
    subjectAltNames: { dnsNames: ["**"] }
    keys: { rsaMinBits: 2048, ecdsaCurves: [P-256] }
    tiers:
      - name: many-names
        when: { sanCountAbove: 2 }
        requiredApprovals: 4
      - name: prod-and-long
        when: { dnsNames: ["*.prod.example.com"], expirationSecondsAbove: 86400 }
        requiredApprovals: 5
  example.com/sensitive:
    requiredApprovals: 3
    usages: { allowed: [server auth] }
    subjectAltNames: { dnsNames: ["**"] }
    keys: { ecdsaCurves: [P-256] }
`;

function load(): Policy {
  const loaded = loadPolicy(policyText, "tiers.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

const policy = load();
const base: CsrSpec = {
  signerName: "example.com/svc",
  usages: ["server auth"],
  cns: ["svc"],
  orgs: [],
  sans: [dns("a.example.com")],
  expirationSeconds: 3600,
};

describe("risk tiers", () => {
  it.each<[string, CsrSpec, number, string[]]>([
    ["no tier applies: the policy minimum", {}, 2, []],
    ["an RSA key raises to 3", { key: rsa(2048) }, 3, ["rsa-key"]],
    ["more SANs than 2 raises to 4", { sans: [dns("a"), dns("b"), dns("c")] }, 4, ["many-names"]],
    [
      "the highest of several applying tiers wins",
      { key: rsa(4096), sans: [dns("a"), dns("b"), dns("c")] },
      4,
      ["rsa-key", "many-names"],
    ],
    ["a tier asking fewer never lowers", { orgs: ["ops"] }, 2, ["lower-is-ignored"]],
    [
      "all tests of a condition must hold (only one does)",
      { sans: [dns("x.prod.example.com")], expirationSeconds: 3600 },
      2,
      [],
    ],
    [
      "all tests of a condition hold",
      { sans: [dns("x.prod.example.com")], expirationSeconds: 90000 },
      5,
      ["prod-and-long"],
    ],
    ["a signer's own count is a floor", { signerName: "example.com/sensitive" }, 3, []],
  ])("%s", (_name, spec, approvals, tiers) => {
    const verdict = evaluate(policy, decoded({ ...base, ...spec }));
    expect(verdict.requiredApprovals).toBe(approvals);
    expect(verdict.notes.map((n) => n.code)).toEqual(tiers.map(() => "tier-applied"));
    for (const [i, name] of tiers.entries()) {
      expect(verdict.notes[i]?.message).toContain(`"${name}"`);
    }
    expect(codes(verdict.reasons)).toEqual([]);
  });

  it("still reports the raised count on a denied CSR, so reviewers see it", () => {
    const verdict = evaluate(policy, decoded({ ...base, key: rsa(1024) }));
    expect(verdict.decision).toBe("deny");
    expect(codes(verdict.reasons)).toEqual(["key-too-small"]);
    expect(verdict.requiredApprovals).toBe(3);
  });

  it("cannot be written to lower the policy-wide minimum below 1", () => {
    const loaded = loadPolicy(
      policyText.replace("requiredApprovals: 1", "requiredApprovals: 0"),
      "t.yaml",
    );
    expect(loaded.ok ? [] : loaded.errors).toMatchObject([
      { line: 10, field: "tiers[1].requiredApprovals", message: /expected number to be >=1/ },
    ]);
  });

  it("needs at least one test in a condition", () => {
    const loaded = loadPolicy(policyText.replace('{ organizations: ["ops"] }', "{}"), "t.yaml");
    expect(loaded.ok ? [] : loaded.errors.map((e) => e.message)).toEqual([
      "a tier condition needs at least one test",
    ]);
  });

  it("counts a test left undefined (a policy written in code) as no test", () => {
    const parsed = PolicySchema.safeParse({
      ...DEFAULT_POLICY_INPUT,
      tiers: [{ name: "t", when: { keyAlgorithms: undefined }, requiredApprovals: 3 }],
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => [i.path, i.message])).toEqual([
      [["tiers", 0, "when"], "a tier condition needs at least one test"],
    ]);
  });
});
