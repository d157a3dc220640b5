import { decodeCsrObject, decodeCsrPem } from "./csr/decode.ts";
import type { CsrInputItem } from "./csr/input.ts";
import type { DecodeResult } from "./csr/types.ts";
import { evaluate, type Policy, type Verdict } from "./policy/index.ts";

/** One CSR as a reviewer sees it: what it decodes to and what the policy says. */
export interface Assessment {
  readonly decoded: DecodeResult;
  readonly verdict: Verdict;
}

/** Decodes one input item and evaluates it; pure and total (bad input is a deny verdict). */
export function assess(item: CsrInputItem, policy: Policy): Assessment {
  const decoded = item.kind === "pem" ? decodeCsrPem(item.pem) : decodeCsrObject(item.value);
  return { decoded, verdict: evaluate(policy, decoded) };
}
