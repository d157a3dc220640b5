/**
 * deploy/alerts.yaml only names metrics `serve` exports, with labels those metrics have: an alert
 * on a misspelt metric never fires, and nobody notices until the day it should have.
 */
import { readFileSync } from "node:fs";
import { Histogram } from "prom-client";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/serve/metrics.ts";

interface Rule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

const file = new URL("../../deploy/alerts.yaml", import.meta.url);
const rules = (parse(readFileSync(file, "utf8")) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);

/** Every series name the registry exports, with the label names of its metric. */
function exported(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const { registry } = createMetrics();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
    if (metric instanceof Histogram) {
      out.set(`${name}_bucket`, [...labelNames, "le"]);
      out.set(`${name}_sum`, labelNames);
      out.set(`${name}_count`, labelNames);
    } else out.set(name, labelNames);
  }
  return out;
}

describe("deploy/alerts.yaml", () => {
  const series = exported();

  it("has the alerts the issue asks for", () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "CsrGitopsUnknownSigner",
        "CsrGitopsPendingNearDeadline",
        "CsrGitopsApprovalsRefused",
        "CsrGitopsReceiptsRefused",
      ]),
    );
  });

  it.each(rules.map((r) => [r.alert, r] as const))(
    "%s names exported metrics and their labels",
    (_name, rule) => {
      const names = [...rule.expr.matchAll(/\b(csr_gitops_[a-z0-9_]+)(\{[^}]*\})?/g)];
      expect(names.length).toBeGreaterThan(0);
      const labelsOfExpr = new Set<string>();
      for (const [, name = "", matchers = ""] of names) {
        const labels = series.get(name);
        expect(labels, `${name} is not exported`).toBeDefined();
        for (const l of labels ?? []) labelsOfExpr.add(l);
        for (const [, label = ""] of matchers.matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g))
          expect(labels, `${name} has no label ${label}`).toContain(label);
      }
      const by = [...rule.expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap(([, list = ""]) =>
        list.split(",").map((l) => l.trim()),
      );
      for (const label of by) expect([...labelsOfExpr], `by (${label})`).toContain(label);
      const kept = by.length > 0 ? new Set(by) : labelsOfExpr;
      const text = Object.values(rule.annotations ?? {}).join("\n");
      for (const [, label = ""] of text.matchAll(/\$labels\.([a-z_]+)/g))
        expect([...kept], `$labels.${label}`).toContain(label);
    },
  );
});
