import { readdirSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  formatPolicyError,
  loadPolicy,
  REASON_CODE_MEANINGS,
  REASON_CODES,
} from "../../../src/core/policy/index.ts";
import {
  policyJsonSchema,
  policyJsonSchemaText,
} from "../../../src/core/policy/policy-json-schema.ts";

const policyDir = new URL("../../../policy/", import.meta.url);

const minimal = `apiVersion: csr-gitops/v2
kind: Policy
signers:
  kubernetes.io/kubelet-serving:
    usages:
      allowed: [digital signature, server auth]
    keys:
      rsaMinBits: 2048
`;

function errorsOf(text: string): string[] {
  const result = loadPolicy(text, "policy.yaml");
  return result.ok ? [] : result.errors.map(formatPolicyError);
}

describe("loadPolicy", () => {
  it("accepts a minimal policy and fills in the defaults", () => {
    const result = loadPolicy(minimal, "policy.yaml");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.requiredApprovals).toBe(2);
    expect(result.policy.forbiddenOrganizations).toEqual([
      "system:masters",
      "kubeadm:cluster-admins",
    ]);
    expect(result.policy.allowSha1Signatures).toBe(false);
    expect(result.policy.tiers).toEqual([]);
  });

  it("refuses a csr-gitops/v1 policy with a message that says what to do", () => {
    expect(errorsOf(minimal.replace("csr-gitops/v2", "csr-gitops/v1"))).toEqual([
      'policy.yaml:1:1: apiVersion: csr-gitops/v1 policies are no longer read: set apiVersion: csr-gitops/v2 and review the changes in docs/policy.md ("Upgrading from csr-gitops/v1")',
    ]);
  });

  it("refuses any other apiVersion", () => {
    expect(errorsOf(minimal.replace("csr-gitops/v2", "csr-gitops/v9"))).toEqual([
      'policy.yaml:1:1: apiVersion: expected "csr-gitops/v2"',
    ]);
  });

  it.each([
    [
      "dnsNames",
      '["{node}", "**.{node}", "{node}.*.example.internal", "{serviceaccount.name}.{serviceaccount.namespace}.svc"]',
    ],
    ["emailAddresses", '["{serviceaccount.name}@example.com"]'],
    ["uris", '["spiffe://td/ns/{serviceaccount.namespace}/sa/{serviceaccount.name}"]'],
  ])("accepts requester templates in %s", (field, list) => {
    const text = minimal.replace(
      "    keys:",
      `    subjectAltNames: { ${field}: ${list} }\n    keys:`,
    );
    expect(errorsOf(text)).toEqual([]);
  });

  it.each([
    [
      'dnsNames: ["{nodes}"]',
      "dnsNames[0]: unknown template {nodes} (known: {node}, {serviceaccount.namespace}, {serviceaccount.name})",
    ],
    [
      'dnsNames: ["a{node}.example.com"]',
      "dnsNames[0]: a template must be a whole label (between dots)",
    ],
    ['dnsNames: ["{node"]', 'dnsNames[0]: a "{" or "}" outside a template'],
    ['dnsNames: ["{node}..x"]', "dnsNames[0]: not a DNS pattern"],
    ['forbiddenDnsNames: ["{node}"]', "forbiddenDnsNames[0]: not a DNS pattern"],
    ['uris: ["spiffe://{user}"]', "uris[0]: unknown template {user}"],
  ])("refuses %s", (rule, message) => {
    const text = minimal.replace("    keys:", `    subjectAltNames: { ${rule} }\n    keys:`);
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`subjectAltNames.${message}`);
  });

  it("refuses templates in deny-lists and requester patterns", () => {
    const text = minimal.replace(
      "    keys:",
      '    subject: { organizations: { forbidden: ["{node}"] } }\n    requester: { usernames: ["system:node:{node}"] }\n    keys:',
    );
    expect(errorsOf(text).map((e) => e.split(": ").slice(1).join(": "))).toEqual([
      'signers["kubernetes.io/kubelet-serving"].subject.organizations.forbidden[0]: a deny-list or requester pattern cannot use a template ({node}, {serviceaccount.namespace}, {serviceaccount.name}) or braces',
      'signers["kubernetes.io/kubelet-serving"].requester.usernames[0]: a deny-list or requester pattern cannot use a template ({node}, {serviceaccount.namespace}, {serviceaccount.name}) or braces',
    ]);
  });

  it("names file, line, column and field of a wrong type", () => {
    const text = minimal.replace("rsaMinBits: 2048", 'rsaMinBits: "big"');
    expect(errorsOf(text)).toEqual([
      'policy.yaml:8:7: signers["kubernetes.io/kubelet-serving"].keys.rsaMinBits: expected number, received string',
    ]);
  });

  it("rejects an unknown key, pointing at the key itself", () => {
    const text = minimal.replace("    keys:", "    key_usages: []\n    keys:");
    expect(errorsOf(text)).toEqual([
      'policy.yaml:7:5: signers["kubernetes.io/kubelet-serving"].key_usages: unknown key (not part of the policy format; check the spelling)',
    ]);
  });

  it("rejects a typo in a nested rule rather than dropping the rule", () => {
    const text = minimal.replace("rsaMinBits", "rsaMinBit");
    const errors = errorsOf(text);
    expect(errors).toContain(
      'policy.yaml:8:7: signers["kubernetes.io/kubelet-serving"].keys.rsaMinBit: unknown key (not part of the policy format; check the spelling)',
    );
  });

  it("reports every schema error, in file order", () => {
    const text = `apiVersion: csr-gitops/v3
kind: Policy
requiredApprovals: 0
signers:
  kubernetes.io/kubelet-serving:
    usages: { allowed: [server-auth] }
    subjectAltNames: { ipAddresses: ["10.0.0.1/8", "300.1.1.1/32"], dnsNames: ["a..b"] }
    keys: {}
`;
    const errors = errorsOf(text);
    expect(errors.map((e) => e.split(": ")[0])).toEqual([
      "policy.yaml:1:1",
      "policy.yaml:3:1",
      "policy.yaml:6:25",
      "policy.yaml:7:38",
      "policy.yaml:7:52",
      "policy.yaml:7:80",
    ]);
    expect(errors[3]).toContain('"10.0.0.1/8" has host bits set beyond /8');
    expect(errors[4]).toContain('"300.1.1.1" is not an IP address');
    expect(errors[5]).toContain("subjectAltNames.dnsNames[0]: not a DNS pattern");
  });

  it("points at the parent when a required field is missing", () => {
    const text = minimal.replace("    keys:\n      rsaMinBits: 2048\n", "");
    expect(errorsOf(text)).toEqual([
      'policy.yaml:4:3: signers["kubernetes.io/kubelet-serving"].keys: expected object, received undefined',
    ]);
  });

  it("rejects a malformed signerName key", () => {
    const text = minimal.replace("kubernetes.io/kubelet-serving", "kubelet serving");
    expect(errorsOf(text).join("\n")).toMatch(/^policy\.yaml:4:3: signers/);
  });

  it.each([
    [
      "a YAML syntax error",
      "apiVersion: csr-gitops/v2\nkind: Policy\n  x: y\nsigners: {}\n",
      "policy.yaml:2:7: Nested mappings",
    ],
    ["a duplicate key", minimal + "kind: Policy\n", "policy.yaml:9:1: Map keys must be unique"],
    [
      "an unknown tag",
      minimal.replace("rsaMinBits: 2048", "rsaMinBits: !big 2048"),
      "policy.yaml:8:19",
    ],
    ["an empty file", "", "policy.yaml:1:1: (root): expected object"],
    ["a list instead of a map", "- a\n", "policy.yaml:1:1: (root): expected object"],
    ["two documents", minimal + "---\n" + minimal, "policy.yaml:9:1"],
  ])("rejects %s with its position", (_name, text, expected) => {
    const errors = errorsOf(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain(expected);
  });

  it("never falls back: a policy with one bad rule yields no policy at all", () => {
    const text = `${minimal}  example.com/bad:
    usages: { allowed: [client auth] }
    keys: { rsaMinBits: 512 }
`;
    const result = loadPolicy(text, "policy.yaml");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "policy.yaml",
          line: 11,
          column: 13,
          field: 'signers["example.com/bad"].keys.rsaMinBits',
          message: "Too small: expected number to be >=2048",
        },
      ],
    });
  });

  it("survives an alias bomb without hanging or throwing", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = i === 0 ? "a" : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join("\n");
    const loaded = loadPolicy(bomb, "bomb.yaml");
    expect(loaded.ok ? [] : loaded.errors.map(formatPolicyError)).toEqual([
      "bomb.yaml:1:1: Excessive alias count indicates a resource exhaustion attack",
    ]);
  });
});

describe("shipped policy files", () => {
  const yamlFiles = readdirSync(policyDir).filter((f) => f.endsWith(".yaml"));

  it("include the default and an example", () => {
    expect(yamlFiles).toEqual(expect.arrayContaining(["default.yaml", "example-strict.yaml"]));
  });

  it.each(yamlFiles)("%s loads and names the schema for editors", (file) => {
    const text = readFileSync(new URL(file, policyDir), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./policy.schema.json");
    const result = loadPolicy(text, file);
    expect(result.ok ? [] : result.errors.map(formatPolicyError)).toEqual([]);
  });

  it("policy.schema.json is generated from the current zod schema (run scripts/write-policy-schema.ts)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("policy.schema.json", policyDir), "utf8"),
    );
    expect(committed).toEqual(policyJsonSchema());
  });

  it("the text scripts/write-policy-schema.ts writes is that schema, one line-ended JSON document", () => {
    const text = policyJsonSchemaText();
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text)).toEqual(policyJsonSchema());
  });
});

describe("docs/policy.md", () => {
  const docs = readFileSync(new URL("../../../docs/policy.md", import.meta.url), "utf8");

  it("lists exactly the reason codes the engine exports, each with its meaning", () => {
    const section = docs.slice(docs.indexOf("## Reason codes"));
    const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` +\| (.+?) +\|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(REASON_CODES);
    for (const row of rows) {
      expect(row[2]).toBe(REASON_CODE_MEANINGS[row[1] as keyof typeof REASON_CODE_MEANINGS]);
    }
  });
});

describe("policy.schema.json for editors", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(
    JSON.parse(readFileSync(new URL("policy.schema.json", policyDir), "utf8")) as object,
  );

  it.each(["default.yaml", "example-strict.yaml"])("accepts %s", (file) => {
    const data: unknown = parse(readFileSync(new URL(file, policyDir), "utf8"));
    expect(validate(data)).toBe(true);
  });

  it("flags an unknown key and a wrong type, as the loader does", () => {
    const data: unknown = parse(
      minimal.replace("rsaMinBits: 2048", "rsaMinBits: big\n      rsaMinBit: 2048"),
    );
    expect(validate(data)).toBe(false);
    expect(validate.errors?.map((e) => e.keyword).sort()).toEqual(["additionalProperties", "type"]);
  });
});
