/**
 * Every class the red-team pass found, as real generated keys and requests judged by the built-in
 * default policy through the real decoder: each deny carries exactly its reason codes, each
 * allow is an allow, and the approvals stay at the policy's two.
 */
import { describe, expect, it } from "vitest";
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../../src/core/policy/index.ts";
import { makeCsrObject } from "../../support/make-csr.ts";
import { failOpenCases } from "./fail-open-cases.ts";
import { codes } from "./decoded-csr.ts";

describe("the default policy closes the red-team's fail-opens", () => {
  it.each(failOpenCases().map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const verdict = evaluate(DEFAULT_POLICY, decodeCsrObject(makeCsrObject(c.csr)));
    expect(codes(verdict.reasons)).toEqual(c.reasons);
    expect(verdict.decision).toBe(c.reasons.length === 0 ? "allow" : "deny");
    expect(verdict.requiredApprovals).toBe(2);
  });
});
