/** The policy engine: load a policy, judge a decoded CSR. */
export { evaluate } from "./evaluate.ts";
export { loadPolicy, formatPolicyError } from "./load-policy.ts";
export type { LoadPolicyResult, PolicyError } from "./load-policy.ts";
export { DEFAULT_POLICY } from "./default-policy.ts";
export { PolicySchema, POLICY_API_VERSION } from "./policy-schema.ts";
export type { Policy, PolicyInput, SignerRule } from "./policy-schema.ts";
export { REASON_CODES, REASON_CODE_MEANINGS } from "./reason-codes.ts";
export type { ReasonCode } from "./reason-codes.ts";
export type { Reason, Verdict } from "./verdict.ts";
