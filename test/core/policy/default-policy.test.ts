import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, evaluate, loadPolicy } from "../../../src/core/policy/index.ts";
import {
  codes,
  decoded,
  dns,
  ip,
  kubeletClientSpec,
  rsa,
  undecodable,
  userClientSpec,
  type CsrSpec,
} from "./decoded-csr.ts";

describe("the built-in default policy", () => {
  it.each<[string, CsrSpec]>([
    ["kubelet-serving for the node's own name", {}],
    ["kubelet-serving with an RSA 2048 key", { key: rsa(2048) }],
    [
      "kubelet-serving with key encipherment and IPv6",
      {
        usages: ["digital signature", "key encipherment", "server auth"],
        sans: [dns("node-1"), ip("fd00::5")],
      },
    ],
    ["kubelet-serving with Ed25519", { key: { algorithm: "Ed25519" } }],
    ["kubelet client renewal by the node", kubeletClientSpec()],
    ["user client certificate", userClientSpec()],
    [
      "user client with P-521 and only client auth",
      { ...userClientSpec(), usages: ["client auth"], key: { algorithm: "ECDSA", curve: "P-521" } },
    ],
  ])("allows %s", (_name, spec) => {
    const verdict = evaluate(DEFAULT_POLICY, decoded(spec));
    expect(verdict.reasons).toEqual([]);
    expect(verdict.decision).toBe("allow");
    expect(verdict.requiredApprovals).toBe(2);
    expect(verdict.signerRule).toBe(spec.signerName ?? "kubernetes.io/kubelet-serving");
  });

  it.each<[string, CsrSpec | "undecodable", string[]]>([
    ["node-name mismatch", { cns: ["system:node:node-2"] }, ["cn-not-requester-node"]],
    [
      "a node asking for a client certificate for another node",
      { ...kubeletClientSpec(), cns: ["system:node:other"] },
      ["cn-not-requester-node"],
    ],
    [
      "a non-node requester for a kubelet certificate",
      { username: "alice", groups: ["system:authenticated"], cns: ["system:node:node-1"] },
      // {node} does not resolve for alice, so no DNS name is hers to ask for.
      [
        "cn-not-requester-node",
        "requester-group-missing",
        "requester-not-allowed",
        "san-dns-not-allowed",
      ],
    ],
    [
      "system:masters on a user certificate",
      { ...userClientSpec(), orgs: ["system:masters"] },
      ["org-forbidden", "signer-rule-org-system-masters"],
    ],
    [
      "system:masters next to system:nodes on kubelet-serving",
      { orgs: ["system:nodes", "system:masters"] },
      ["org-forbidden", "signer-rule-org-not-system-nodes"],
    ],
    [
      "a user certificate impersonating a node",
      { ...userClientSpec(), cns: ["system:node:node-1"], orgs: ["system:nodes"] },
      ["cn-forbidden", "org-forbidden"],
    ],
    ["RSA 1024", { key: rsa(1024) }, ["key-too-small"]],
    ["RSA 2047", { key: rsa(2047) }, ["key-too-small"]],
    ["an unknown signer", { signerName: "example.com/anything" }, ["unknown-signer"]],
    [
      "kubernetes.io/legacy-unknown",
      { signerName: "kubernetes.io/legacy-unknown" },
      ["legacy-unknown-signer"],
    ],
    ["a bad signature", { signatureValid: false }, ["signature-invalid"]],
    ["a bare PEM", { bare: true }, ["no-kubernetes-object"]],
    ["an approved CSR", { phase: "Approved" }, ["not-pending"]],
    ["a denied CSR", { phase: "Denied" }, ["not-pending"]],
    [
      "a serving CSR with email SAN",
      { sans: [dns("node-1"), { type: "email", value: "a@b.c" }] },
      ["san-email-forbidden", "signer-rule-san-email-not-allowed"],
    ],
    ["undecodable input", "undecodable", ["undecodable"]],
  ])("denies %s", (_name, spec, expected) => {
    const verdict = evaluate(DEFAULT_POLICY, spec === "undecodable" ? undecodable : decoded(spec));
    expect(verdict.decision).toBe("deny");
    expect(codes(verdict.reasons)).toEqual(expected);
    expect(verdict.requiredApprovals).toBe(2);
  });

  it("carries the decoder's message for undecodable input", () => {
    const verdict = evaluate(DEFAULT_POLICY, undecodable);
    expect(verdict.reasons[0]?.message).toBe("spec.request: DER ends early at byte 12");
  });

  it("reports every reason together, not only the first", () => {
    const verdict = evaluate(
      DEFAULT_POLICY,
      decoded({
        signatureValid: false,
        phase: "Approved",
        cns: ["system:node:node-2"],
        orgs: ["system:masters"],
        usages: ["digital signature", "server auth", "client auth"],
        sans: [],
        key: rsa(1024),
        username: "mallory",
        groups: [],
      }),
    );
    expect(codes(verdict.reasons)).toEqual([
      "cn-not-requester-node",
      "key-too-small",
      "not-pending",
      "org-forbidden",
      "requester-group-missing",
      "requester-not-allowed",
      "san-required",
      "signature-invalid",
      "signer-rule-org-not-system-nodes",
      "signer-rule-san-dns-or-ip-required",
      "signer-rule-usages-mismatch",
      "usage-not-allowed",
    ]);
  });

  it("is what policy/default.yaml says", () => {
    const file = new URL("../../../policy/default.yaml", import.meta.url);
    const loaded = loadPolicy(readFileSync(file, "utf8"), "policy/default.yaml");
    expect(loaded).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it("cannot be changed by a caller", () => {
    expect(Object.isFrozen(DEFAULT_POLICY.signers["kubernetes.io/kubelet-serving"]?.keys)).toBe(
      true,
    );
  });
});
