/**
 * Warnings that do not block an approval but that a reviewer must see: a single-approver policy,
 * and a CODEOWNERS that leaves the config, policy or itself unowned (whoever can edit those alone
 * can lower the number of approvals). Pure.
 */
import { ownersOf, parseCodeowners } from "../github/codeowners.ts";
import { CONFIG_PATH, POLICY_PATH } from "../record/layout.ts";
import type { Finding } from "./finding.ts";
import type { WarningCode } from "./reason-codes.ts";

export function approvalWarnings(
  codeowners: { readonly path: string; readonly text: string } | undefined,
  required: number,
): Finding<WarningCode>[] {
  const warnings: Finding<WarningCode>[] = [];
  if (required === 1)
    warnings.push({
      code: "single-approver-policy",
      message:
        "single-approver policy: one code owner's approval is enough for this CSR, so one person alone can get it approved",
    });
  const parsed = parseCodeowners(codeowners?.text ?? "");
  const selfPath = codeowners?.path ?? ".github/CODEOWNERS";
  const unowned = [CONFIG_PATH, POLICY_PATH, selfPath].filter(
    (p) => ownersOf(parsed.rules, p) === undefined,
  );
  if (unowned.length > 0)
    warnings.push({
      code: "config-not-code-owned",
      message: `CODEOWNERS does not cover ${unowned.join(", ")}: whoever can edit ${unowned.length === 1 ? "it" : "them"} alone can lower the number of approvals`,
    });
  if (parsed.errors.length > 0)
    warnings.push({
      code: "codeowners-errors",
      message: `CODEOWNERS has ${String(parsed.errors.length)} line(s) GitHub ignores (first: line ${String(parsed.errors[0]?.line)})`,
    });
  return warnings;
}
