import { describe, expect, it } from "vitest";
import {
  DEFAULT_REPO_CONFIG,
  formatYamlError,
  loadConfig,
  MAX_CONFIG_CHARS,
} from "../../../src/core/config/index.ts";

describe("repo config (.github/csr-gitops.yml)", () => {
  it("an absent, empty or comment-only file means every default", () => {
    for (const text of [undefined, "", "\n", "# nothing here\n"]) {
      expect(loadConfig(text)).toEqual({ ok: true, config: DEFAULT_REPO_CONFIG });
    }
    expect(DEFAULT_REPO_CONFIG).toEqual({
      apiVersion: "csr-gitops/config-v1",
      onClose: "deny",
      policyDenied: "pull-request",
      batch: { maxSize: 1, windowSeconds: 30 },
      clusterChecks: {
        kubeletServing: { nodeExists: true, addresses: true, extraDnsNames: [] },
        kubeletClient: { nodeExists: true },
      },
    });
  });

  it("reads every switch, filling the defaults of the ones left out", () => {
    const text = [
      "apiVersion: csr-gitops/config-v1",
      "onClose: ignore",
      "policyDenied: deny",
      "batch: { maxSize: 20 }",
      "clusterChecks:",
      "  kubeletServing: { addresses: false, extraDnsNames: ['*.nodes.example.com'] }",
      "  kubeletClient: { nodeExists: false }",
      "",
    ].join("\n");
    expect(loadConfig(text)).toEqual({
      ok: true,
      config: {
        apiVersion: "csr-gitops/config-v1",
        onClose: "ignore",
        policyDenied: "deny",
        batch: { maxSize: 20, windowSeconds: 30 },
        clusterChecks: {
          kubeletServing: {
            nodeExists: true,
            addresses: false,
            extraDnsNames: ["*.nodes.example.com"],
          },
          kubeletClient: { nodeExists: false },
        },
      },
    });
  });

  it.each([
    [
      "a misspelt key",
      "onClose: deny\npolicyDenid: deny\n",
      { line: 2, column: 1, field: "policyDenid", message: /unknown key/ },
    ],
    [
      "a value outside the enum",
      "onClose: approve\n",
      { line: 1, column: 1, field: "onClose", message: /deny.*ignore/ },
    ],
    [
      "a nested type error",
      "batch:\n  maxSize: 0\n",
      { line: 2, column: 3, field: "batch.maxSize", message: />=\s*1/ },
    ],
    [
      "a bad DNS pattern",
      "clusterChecks:\n  kubeletServing:\n    extraDnsNames: ['a.**.b']\n",
      {
        line: 3,
        column: 21,
        field: "clusterChecks.kubeletServing.extraDnsNames[0]",
        message: /not a DNS pattern/,
      },
    ],
    [
      "a wrong apiVersion",
      "apiVersion: csr-gitops/config-v2\n",
      { line: 1, column: 1, field: "apiVersion", message: /config-v1/ },
    ],
    [
      "a YAML syntax error",
      "onClose: [deny\n",
      { line: 2, field: "", message: /^Flow sequence in block collection must be/ },
    ],
    [
      "a duplicate key",
      "onClose: deny\nonClose: ignore\n",
      { line: 2, field: "", message: "Map keys must be unique" },
    ],
    ["a list instead of a map", "- onClose\n", { line: 1, field: "(root)", message: /object/ }],
  ])("refuses %s, naming file, line and field", (_name, text, expected) => {
    const result = loadConfig(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const first = result.errors[0];
    expect(first).toMatchObject({ ...expected, file: ".github/csr-gitops.yml" });
  });

  it("formats an error as file:line:column: field: message", () => {
    const result = loadConfig("batch:\n  windowSecs: 5\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatYamlError)).toEqual([
      ".github/csr-gitops.yml:2:3: batch.windowSecs: unknown key (not part of the csr-gitops config format; check the spelling)",
    ]);
  });

  it("names the file it was given in its errors", () => {
    expect(loadConfig("onClose: approve\n", "configs/other.yml")).toMatchObject({
      ok: false,
      errors: [{ file: "configs/other.yml", line: 1, field: "onClose" }],
    });
  });

  it("reads a file of exactly MAX_CONFIG_CHARS and refuses one character more", () => {
    const head = "onClose: ignore\n# ";
    const text = head + "x".repeat(MAX_CONFIG_CHARS - head.length);
    expect(text).toHaveLength(MAX_CONFIG_CHARS);
    expect(loadConfig(text)).toMatchObject({ ok: true, config: { onClose: "ignore" } });
    expect(loadConfig(`${text}x`)).toEqual({
      ok: false,
      errors: [
        {
          file: ".github/csr-gitops.yml",
          line: 1,
          column: 1,
          field: "",
          message: `file is ${MAX_CONFIG_CHARS + 1} characters, more than the limit of ${MAX_CONFIG_CHARS}`,
        },
      ],
    });
  });

  it("refuses an oversized file before parsing it", () => {
    const result = loadConfig(`# ${"x".repeat(MAX_CONFIG_CHARS)}\n`);
    expect(result).toMatchObject({ ok: false, errors: [{ line: 1, field: "" }] });
  });

  it("refuses an alias bomb as one, before any key is checked", () => {
    // Ten lists of ten aliases of the list above: 10^9 strings if expanded.
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 9; i += 1) {
      const previous = i === 0 ? "a" : `l${i - 1}`;
      lines.push(`l${i}: &l${i} [${Array.from({ length: 10 }, () => `*${previous}`).join(", ")}]`);
    }
    expect(loadConfig(lines.join("\n"))).toEqual({
      ok: false,
      errors: [
        {
          file: ".github/csr-gitops.yml",
          line: 1,
          column: 1,
          field: "",
          message: "Excessive alias count indicates a resource exhaustion attack",
        },
      ],
    });
  });
});
