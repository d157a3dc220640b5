import { describe, expect, it } from "vitest";
import { evaluate, loadPolicy, type Policy } from "../../../src/core/policy/index.ts";
import { KEY_USAGES } from "../../../src/core/policy/policy-schema.ts";
import {
  codes,
  decoded,
  dns,
  email,
  ip,
  kubeletClientSpec,
  uri,
  type CsrSpec,
} from "./decoded-csr.ts";

/**
 * A policy that allows anything for the three Kubernetes signers: whatever it lets through, the
 * built-in signer checks must still catch (a policy cannot switch them off).
 */
function permissivePolicy(): Policy {
  const rule = `
    usages: { allowed: [${KEY_USAGES.map((u) => JSON.stringify(u)).join(", ")}] }
    subjectAltNames:
      dnsNames: ["**"]
      ipAddresses: ["0.0.0.0/0", "::/0"]
      emailAddresses: ["*"]
      uris: ["*"]
    keys: { rsaMinBits: 2048, ecdsaCurves: [P-256, P-384, P-521], ed25519: true }`;
  const text = [
    "apiVersion: csr-gitops/v2",
    "kind: Policy",
    "forbiddenOrganizations: []",
    "signers:",
    ...[
      "kubelet-serving",
      "kube-apiserver-client-kubelet",
      "kube-apiserver-client",
      "legacy-unknown",
    ].map((s) => `  kubernetes.io/${s}:${rule.replaceAll("\n    ", "\n      ")}`),
  ].join("\n");
  const loaded = loadPolicy(text, "permissive.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

const policy = permissivePolicy();

const serving: CsrSpec = { signerName: "kubernetes.io/kubelet-serving" };
const client = kubeletClientSpec();
const user: CsrSpec = {
  signerName: "kubernetes.io/kube-apiserver-client",
  usages: ["client auth"],
  cns: ["alice"],
  orgs: [],
  sans: [],
  username: "alice",
};

type Row = [name: string, spec: CsrSpec, expected: string[]];

describe("built-in kubernetes.io/kubelet-serving checks", () => {
  it.each<Row>([
    ["a proper request passes", serving, []],
    [
      "O exactly [system:nodes]: none",
      { ...serving, orgs: [] },
      ["signer-rule-org-not-system-nodes"],
    ],
    ["O: another org", { ...serving, orgs: ["ops"] }, ["signer-rule-org-not-system-nodes"]],
    [
      "O: system:nodes twice",
      { ...serving, orgs: ["system:nodes", "system:nodes"] },
      ["signer-rule-org-not-system-nodes"],
    ],
    [
      "O: system:nodes plus another",
      { ...serving, orgs: ["system:nodes", "ops"] },
      ["signer-rule-org-not-system-nodes"],
    ],
    ["CN prefix missing", { ...serving, cns: ["node-1"] }, ["signer-rule-cn-not-system-node"]],
    ["CN empty", { ...serving, cns: [] }, ["signer-rule-cn-not-system-node"]],
    [
      "CN prefix with another case",
      { ...serving, cns: ["System:Node:n"] },
      ["signer-rule-cn-not-system-node"],
    ],
    ["only a DNS SAN passes", { ...serving, sans: [dns("n1")] }, []],
    ["only an IP SAN passes", { ...serving, sans: [ip("10.1.2.3")] }, []],
    ["no SAN", { ...serving, sans: [] }, ["signer-rule-san-dns-or-ip-required"]],
    [
      "only an email SAN",
      { ...serving, sans: [email("n@example.com")] },
      ["signer-rule-san-dns-or-ip-required", "signer-rule-san-email-not-allowed"],
    ],
    [
      "a URI SAN",
      { ...serving, sans: [dns("n1"), uri("spiffe://x/y")] },
      ["signer-rule-san-uri-not-allowed"],
    ],
    [
      "usages with key encipherment pass",
      { ...serving, usages: ["digital signature", "key encipherment", "server auth"] },
      [],
    ],
    [
      "usages given twice still form the set",
      { ...serving, usages: ["server auth", "digital signature", "server auth"] },
      [],
    ],
    [
      "usages without digital signature",
      { ...serving, usages: ["server auth"] },
      ["signer-rule-usages-mismatch"],
    ],
    [
      "usages with client auth too",
      { ...serving, usages: ["digital signature", "server auth", "client auth"] },
      ["signer-rule-usages-mismatch"],
    ],
    [
      "two CN attributes",
      { ...serving, cns: ["system:node:node-1", "system:node:node-2"] },
      ["subject-multiple-cn"],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(codes(evaluate(policy, decoded(spec)).reasons)).toEqual(expected);
  });
});

describe("built-in kubernetes.io/kube-apiserver-client-kubelet checks", () => {
  it.each<Row>([
    ["a proper request passes", client, []],
    [
      "usages with key encipherment pass",
      { ...client, usages: ["digital signature", "key encipherment", "client auth"] },
      [],
    ],
    [
      "O not system:nodes",
      { ...client, orgs: ["system:node"] },
      ["signer-rule-org-not-system-nodes"],
    ],
    ["CN prefix missing", { ...client, cns: ["node-1"] }, ["signer-rule-cn-not-system-node"]],
    ["a DNS SAN", { ...client, sans: [dns("n1")] }, ["signer-rule-san-dns-not-allowed"]],
    ["an IP SAN", { ...client, sans: [ip("::1")] }, ["signer-rule-san-ip-not-allowed"]],
    ["an email SAN", { ...client, sans: [email("a@b")] }, ["signer-rule-san-email-not-allowed"]],
    ["a URI SAN", { ...client, sans: [uri("urn:x")] }, ["signer-rule-san-uri-not-allowed"]],
    [
      "server auth usages",
      { ...client, usages: ["digital signature", "server auth"] },
      ["signer-rule-usages-mismatch"],
    ],
    ["client auth alone", { ...client, usages: ["client auth"] }, ["signer-rule-usages-mismatch"]],
  ])("%s", (_name, spec, expected) => {
    expect(codes(evaluate(policy, decoded(spec)).reasons)).toEqual(expected);
  });
});

describe("built-in kubernetes.io/kube-apiserver-client checks", () => {
  it.each<Row>([
    ["client auth alone passes", user, []],
    [
      "with digital signature and key encipherment passes",
      { ...user, usages: ["digital signature", "key encipherment", "client auth"] },
      [],
    ],
    [
      "SANs and any subject are the policy's business",
      { ...user, sans: [dns("x"), email("a@b")], orgs: ["a", "b"] },
      [],
    ],
    [
      "client auth missing",
      { ...user, usages: ["digital signature"] },
      ["signer-rule-client-auth-missing"],
    ],
    [
      "server auth besides",
      { ...user, usages: ["client auth", "server auth"] },
      ["signer-rule-usage-not-allowed"],
    ],
    [
      "server auth besides, listed twice (reported once)",
      { ...user, usages: ["server auth", "client auth", "server auth"] },
      ["signer-rule-usage-not-allowed"],
    ],
    [
      "only server auth",
      { ...user, usages: ["server auth"] },
      ["signer-rule-client-auth-missing", "signer-rule-usage-not-allowed"],
    ],
    ["O system:masters", { ...user, orgs: ["system:masters"] }, ["signer-rule-org-system-masters"]],
  ])("%s", (_name, spec, expected) => {
    expect(codes(evaluate(policy, decoded(spec)).reasons)).toEqual(expected);
  });
});

describe("built-in kubernetes.io/kube-apiserver-client reasons, as the reviewer reads them", () => {
  it("names the usage it refuses and the one that is missing, on spec.usages", () => {
    expect(evaluate(policy, decoded({ ...user, usages: ["server auth"] })).reasons).toEqual([
      {
        code: "signer-rule-usage-not-allowed",
        message: 'invalid usage for client certificate: "server auth"',
        field: "spec.usages",
      },
      {
        code: "signer-rule-client-auth-missing",
        message: 'missing required usage for client certificate: "client auth"',
        field: "spec.usages",
      },
    ]);
  });

  it("names system:masters on the subject's O", () => {
    expect(evaluate(policy, decoded({ ...user, orgs: ["system:masters"] })).reasons).toEqual([
      {
        code: "signer-rule-org-system-masters",
        message: "subject O system:masters is not allowed for this signer",
        field: "request.subject.O",
      },
    ]);
  });

  it("names every CN of a subject with several, on the subject's CN", () => {
    expect(evaluate(policy, decoded({ ...user, cns: ["alice", "bob"] })).reasons).toEqual([
      {
        code: "subject-multiple-cn",
        message: 'subject has 2 CN attributes ("alice", "bob")',
        field: "request.subject.CN",
      },
    ]);
  });
});

describe("built-in checks for every signer", () => {
  it("denies kubernetes.io/legacy-unknown even when the policy lists it", () => {
    const verdict = evaluate(policy, decoded({ signerName: "kubernetes.io/legacy-unknown" }));
    expect(codes(verdict.reasons)).toEqual(["legacy-unknown-signer"]);
  });

  it("denies a signature that does not verify", () => {
    expect(codes(evaluate(policy, decoded({ signatureValid: false })).reasons)).toEqual([
      "signature-invalid",
    ]);
  });

  it.each(["Approved", "Denied", "Failed", "Issued"] as const)(
    "denies a CSR that is %s",
    (phase) => {
      const verdict = evaluate(policy, decoded({ phase }));
      expect(verdict.decision).toBe("deny");
      expect(codes(verdict.reasons)).toEqual(["not-pending"]);
    },
  );
});
