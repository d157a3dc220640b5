/**
 * The fail-closed branch of `evaluate`, executed: a failure injected inside the evaluation (a
 * policy whose field throws when read, a decoded value a check cannot handle) must come back as a
 * deny with the evaluation-failed reason and at least 2 approvals, never as a throw or an allow.
 */
import { describe, expect, it } from "vitest";
import type { DecodeResult } from "../../../src/core/csr/types.ts";
import { DEFAULT_POLICY, evaluate, type Policy } from "../../../src/core/policy/index.ts";
import { decoded } from "./decoded-csr.ts";

/** DEFAULT_POLICY with `signers` replaced by a getter that throws `thrown`. */
function policyThrowing(thrown: unknown, requiredApprovals: unknown = 2): Policy {
  const policy = { ...DEFAULT_POLICY, requiredApprovals } as Record<string, unknown>;
  Object.defineProperty(policy, "signers", {
    enumerable: true,
    get() {
      throw thrown;
    },
  });
  return policy as unknown as Policy;
}

function failedVerdict(message: string, requiredApprovals: number): object {
  return {
    decision: "deny",
    reasons: [{ code: "evaluation-failed", message: `policy evaluation failed: ${message}` }],
    notes: [],
    requiredApprovals,
    signerRule: undefined,
  };
}

describe("evaluate fails closed", () => {
  it("a policy that throws while read gives a deny with the reason and the error's message", () => {
    const verdict = evaluate(policyThrowing(new Error("signers unreadable")), decoded());
    expect(verdict).toEqual(failedVerdict("signers unreadable", 2));
  });

  it("a thrown non-Error is named in the reason", () => {
    expect(evaluate(policyThrowing("plain text"), decoded())).toEqual(
      failedVerdict("plain text", 2),
    );
    expect(evaluate(policyThrowing(42), decoded())).toEqual(failedVerdict("42", 2));
  });

  it.each<[string, unknown, number]>([
    ["keeps a higher policy minimum", 5, 5],
    ["never asks fewer than 2, even if the policy says 1", 1, 2],
    ["treats a non-integer minimum as 2", 3.5, 2],
    ["treats a non-number minimum as 2", "7", 2],
    ["treats a missing minimum as 2", undefined, 2],
  ])("%s", (_name, minimum, expected) => {
    const verdict = evaluate(policyThrowing(new Error("x"), minimum), decoded());
    expect(verdict).toEqual(failedVerdict("x", expected));
  });

  it("a decoded value a check cannot handle (SANs that are not a list) gives the same deny", () => {
    const input = decoded();
    if (!input.ok) throw new Error("fixture");
    const broken = {
      ok: true,
      csr: { ...input.csr, request: { ...input.csr.request, subjectAltNames: null } },
    } as unknown as DecodeResult;
    const verdict = evaluate(DEFAULT_POLICY, broken);
    expect(verdict.decision).toBe("deny");
    expect(verdict.reasons).toHaveLength(1);
    expect(verdict.reasons[0]?.code).toBe("evaluation-failed");
    expect(verdict.reasons[0]?.message).toMatch(/^policy evaluation failed: .+/);
    expect(verdict.requiredApprovals).toBe(2);
    expect(verdict.signerRule).toBeUndefined();
  });

  it("a subject whose organizations are missing is a deny, not an allow", () => {
    const input = decoded();
    if (!input.ok) throw new Error("fixture");
    const broken = {
      ok: true,
      csr: {
        ...input.csr,
        request: {
          ...input.csr.request,
          subject: { ...input.csr.request.subject, organizations: undefined },
        },
      },
    } as unknown as DecodeResult;
    const verdict = evaluate(DEFAULT_POLICY, broken);
    expect(verdict.decision).toBe("deny");
    expect(verdict.reasons.map((r) => r.code)).toEqual(["evaluation-failed"]);
  });

  it("the same CSR with nothing injected is allowed (the injection is what denies)", () => {
    const verdict = evaluate(DEFAULT_POLICY, decoded());
    expect(verdict.decision).toBe("allow");
    expect(verdict.reasons).toEqual([]);
  });
});
