import { describe, expect, it } from "vitest";
import { exitStatus, renderChecklist, type CheckResult } from "../../src/preflight/check-result.ts";

const results: CheckResult[] = [
  { section: "github", name: "app installed", status: "pass", detail: "installation 7" },
  { section: "github", name: "CODEOWNERS present", status: "fail", detail: "none", fix: "add it" },
  {
    section: "kubernetes: cluster a",
    name: "extra rights",
    status: "warn",
    detail: "x\ny",
    fix: "narrow",
  },
];

describe("the preflight checklist", () => {
  it("prints one line per check with its mark, a fix under each failure or warning, and a total", () => {
    expect(renderChecklist(results)).toBe(
      [
        "github",
        "  ✓ app installed: installation 7",
        "  ✗ CODEOWNERS present: none",
        "      fix: add it",
        "",
        "kubernetes: cluster a",
        "  ! extra rights: x y",
        "      fix: narrow",
        "",
        "3 checks: 1 failed, 1 warnings.",
        "",
      ].join("\n"),
    );
  });

  it("exits 1 when a check fails, 0 when only warnings remain", () => {
    expect(exitStatus(results)).toBe(1);
    expect(exitStatus(results.filter((r) => r.status !== "fail"))).toBe(0);
  });
});
