import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SubjectAltName } from "../../../src/core/csr/types.ts";
import { DEFAULT_POLICY, evaluate, loadPolicy } from "../../../src/core/policy/index.ts";
import { MAX_POLICY_CHARS } from "../../../src/core/policy/load-policy.ts";
import { KEY_USAGES } from "../../../src/core/policy/policy-schema.ts";
import { decoded } from "./decoded-csr.ts";

const san: fc.Arbitrary<SubjectAltName> = fc.oneof(
  fc.string().map((value) => ({ type: "DNS" as const, value })),
  fc
    .oneof(fc.ipV4(), fc.string())
    .map((value) => ({ type: "IP" as const, value, version: 4 as const })),
  fc
    .oneof(fc.ipV6(), fc.string())
    .map((value) => ({ type: "IP" as const, value, version: 6 as const })),
  fc.string().map((value) => ({ type: "email" as const, value })),
  fc.string().map((value) => ({ type: "URI" as const, value })),
  fc.string().map((value) => ({ type: "other" as const, value })),
);

const spec = fc.record(
  {
    signerName: fc.oneof(
      fc.constantFrom(...Object.keys(DEFAULT_POLICY.signers), "kubernetes.io/legacy-unknown"),
      fc.string(),
    ),
    usages: fc.array(fc.oneof(fc.constantFrom(...KEY_USAGES), fc.string())),
    cns: fc.array(fc.oneof(fc.constant("system:node:node-1"), fc.string()), { maxLength: 3 }),
    orgs: fc.array(fc.oneof(fc.constantFrom("system:nodes", "system:masters"), fc.string())),
    sans: fc.array(san, { maxLength: 6 }),
    key: fc.oneof(
      fc.integer({ min: 0, max: 20000 }).map((bits) => ({ algorithm: "RSA" as const, bits })),
      fc.constantFrom(
        { algorithm: "ECDSA" as const, curve: "P-256" as const },
        { algorithm: "ECDSA" as const, curve: "P-521" as const },
        { algorithm: "Ed25519" as const },
      ),
    ),
    signatureValid: fc.boolean(),
    username: fc.oneof(fc.constant("system:node:node-1"), fc.string()),
    groups: fc.array(fc.oneof(fc.constant("system:nodes"), fc.string())),
    expirationSeconds: fc.option(fc.integer({ min: 0, max: 10 ** 9 }), { nil: undefined }),
    phase: fc.constantFrom("Pending", "Approved", "Denied", "Failed", "Issued" as const),
    bare: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe("robustness", () => {
  it("evaluate never throws, and allows exactly when there is no reason", () => {
    fc.assert(
      fc.property(spec, (s) => {
        const verdict = evaluate(DEFAULT_POLICY, decoded(s));
        expect(verdict.decision === "allow").toBe(verdict.reasons.length === 0);
        expect(verdict.requiredApprovals).toBeGreaterThanOrEqual(2);
        expect(verdict.reasons.every((r) => r.code !== "evaluation-failed")).toBe(true);
      }),
      { seed: 20251203, numRuns: 500 },
    );
  });

  it("loadPolicy never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const result = loadPolicy(text, "fuzz.yaml");
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
      { seed: 20251204, numRuns: 300 },
    );
  });

  it("refuses an oversized policy before parsing it", () => {
    const result = loadPolicy(`# ${"x".repeat(MAX_POLICY_CHARS)}`, "big.yaml");
    expect(result.ok ? "" : result.errors[0]?.message).toContain("more than the limit");
  });
});
