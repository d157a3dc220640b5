/**
 * Requester templates and deny-lists in custom policies: a rule binds names to the requester, a
 * template that does not resolve matches nothing, and deny-lists win over allow-lists.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/policy/evaluate.ts";
import { loadPolicy } from "../../../src/core/policy/load-policy.ts";
import type { Policy } from "../../../src/core/policy/policy-schema.ts";
import {
  resolveTemplates,
  templateValues,
  type Template,
} from "../../../src/core/policy/requester-template.ts";
import { codes, decoded, dns, email, ip, uri, type CsrSpec } from "./decoded-csr.ts";

const SIGNER = "example.com/workload";

function policyWith(rule: string): Policy {
  const text = `apiVersion: csr-gitops/v2
kind: Policy
signers:
  ${SIGNER}:
    usages: { allowed: [digital signature, server auth, client auth] }
    keys: { ecdsaCurves: [P-256] }
${rule}`;
  const loaded = loadPolicy(text, "policy.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

const NODE = { username: "system:node:node-7", groups: ["system:nodes"] };
const SA = { username: "system:serviceaccount:payments:api", groups: ["system:serviceaccounts"] };
const USER = { username: "alice", groups: ["system:authenticated"] };

function spec(requester: { username: string; groups: string[] }, rest: CsrSpec): CsrSpec {
  return {
    signerName: SIGNER,
    usages: ["digital signature", "server auth"],
    cns: ["x"],
    orgs: [],
    sans: [],
    ...requester,
    ...rest,
  };
}

type Row = [string, { username: string; groups: string[] }, CsrSpec, string[]];

function table(rule: string, rows: Row[]): void {
  const policy = policyWith(rule);
  it.each(rows)("%s", (_name, requester, rest, expected) => {
    const verdict = evaluate(policy, decoded(spec(requester, rest)));
    expect(codes(verdict.reasons)).toEqual(expected);
    expect(verdict.decision).toBe(expected.length === 0 ? "allow" : "deny");
  });
}

describe("template values come only from names Kubernetes could give", () => {
  it.each([
    ["system:node:node-7", { "{node}": "node-7" }],
    ["system:node:node-7.zone-a.example.internal", { "{node}": "node-7.zone-a.example.internal" }],
    ["system:node:", {}],
    ["system:node:a*b", {}],
    ["system:node:a:b", {}],
    ["system:node:Node-7", {}],
    ["system:node:a..b", {}],
    [
      "system:serviceaccount:payments:api",
      { "{serviceaccount.namespace}": "payments", "{serviceaccount.name}": "api" },
    ],
    ["system:serviceaccount:payments:api:extra", {}],
    ["system:serviceaccount:pay.ments:api", {}],
    ["system:serviceaccount:payments", {}],
    ["alice", {}],
    ["", {}],
    // Look-alikes: the prefix must be there whole, not just its length.
    ["system:node-node-7", {}],
    ["kubernetes-admin", {}],
    ["system:serviceaccount-payments:api", {}],
    // A namespace is a DNS-1123 label: at most 63 characters.
    [
      `system:serviceaccount:${"n".repeat(63)}:api`,
      { "{serviceaccount.namespace}": "n".repeat(63), "{serviceaccount.name}": "api" },
    ],
    [`system:serviceaccount:${"n".repeat(64)}:api`, {}],
  ])("%j", (username, values) => {
    expect(templateValues({ username, uid: "", groups: [], extra: {} })).toEqual(values);
  });
});

describe("a pattern resolves only when every template in it does", () => {
  const node = { "{node}": "node-7" };
  const sa = { "{serviceaccount.namespace}": "payments", "{serviceaccount.name}": "api" };
  it.each<[string, Partial<Record<Template, string>>, string | undefined]>([
    ["{node}.example.com", node, "node-7.example.com"],
    ["{serviceaccount.name}.{serviceaccount.namespace}.svc", sa, "api.payments.svc"],
    ["{node}{serviceaccount.name}", node, undefined],
    ["{serviceaccount.name}-{node}", sa, undefined],
    ["{node}", {}, undefined],
    ["plain.example.com", {}, "plain.example.com"],
  ])("%s", (pattern, values, expected) => {
    expect(resolveTemplates(pattern, values)).toBe(expected);
  });
});

describe("{node} in DNS patterns", () => {
  table(
    `    subjectAltNames: { dnsNames: ["{node}", "{node}.*.example.internal"], ipAddresses: [10.0.0.0/8] }`,
    [
      ["the node's own name", NODE, { sans: [dns("node-7")] }, []],
      ["its name in a zone", NODE, { sans: [dns("node-7.zone-a.example.internal")] }, []],
      ["upper case still matches", NODE, { sans: [dns("NODE-7")] }, []],
      ["another node's name", NODE, { sans: [dns("node-8")] }, ["san-dns-not-allowed"]],
      ["a name merely starting with it", NODE, { sans: [dns("node-77")] }, ["san-dns-not-allowed"]],
      [
        "two zones deep",
        NODE,
        { sans: [dns("node-7.a.b.example.internal")] },
        ["san-dns-not-allowed"],
      ],
      [
        "a user: {node} resolves to nothing",
        USER,
        { sans: [dns("node-7")] },
        ["san-dns-not-allowed"],
      ],
      ["a service account: nothing either", SA, { sans: [dns("node-7")] }, ["san-dns-not-allowed"]],
      [
        "a node whose name is not a node name",
        { username: "system:node:node-7*", groups: [] },
        { sans: [dns("node-7")] },
        ["san-dns-not-allowed"],
      ],
      ["IP SANs are not templated", NODE, { sans: [ip("10.1.2.3")] }, []],
    ],
  );
});

describe("service-account templates in CN, O, DNS, URI and email patterns", () => {
  table(
    `    subject:
      commonName: { patterns: ["{serviceaccount.name}.{serviceaccount.namespace}.svc"] }
      organizations: { allowed: ["{serviceaccount.namespace}"] }
    subjectAltNames:
      dnsNames: ["{serviceaccount.name}.{serviceaccount.namespace}.svc"]
      uris: ["spiffe://td/ns/{serviceaccount.namespace}/sa/{serviceaccount.name}"]
      emailAddresses: ["{serviceaccount.name}@{serviceaccount.namespace}.example.com"]`,
    [
      [
        "its own names everywhere",
        SA,
        {
          cns: ["api.payments.svc"],
          orgs: ["payments"],
          sans: [
            dns("api.payments.svc"),
            uri("spiffe://td/ns/payments/sa/api"),
            email("api@payments.example.com"),
          ],
        },
        [],
      ],
      ["another namespace's CN", SA, { cns: ["api.billing.svc"] }, ["cn-mismatch"]],
      [
        "another namespace as O",
        SA,
        { cns: ["api.payments.svc"], orgs: ["billing"] },
        ["org-not-allowed"],
      ],
      [
        "another service's DNS name",
        SA,
        { cns: ["api.payments.svc"], sans: [dns("db.payments.svc")] },
        ["san-dns-not-allowed"],
      ],
      [
        "another service's SPIFFE ID",
        SA,
        { cns: ["api.payments.svc"], sans: [uri("spiffe://td/ns/payments/sa/db")] },
        ["san-uri-not-allowed"],
      ],
      [
        "another service's mail address",
        SA,
        { cns: ["api.payments.svc"], sans: [email("db@payments.example.com")] },
        ["san-email-not-allowed"],
      ],
      [
        "a node: every templated pattern matches nothing",
        NODE,
        { cns: ["api.payments.svc"], orgs: ["payments"] },
        ["cn-mismatch", "org-not-allowed"],
      ],
    ],
  );
});

describe("deny-lists win over allow-lists", () => {
  table(
    `    subjectAltNames:
      dnsNames: ["**"]
      forbiddenDnsNames: ["kubernetes.default.svc", "**.internal"]
      wildcardDnsNames: true
      ipAddresses: [0.0.0.0/0, "::/0"]
      forbiddenIpAddresses: [10.96.0.0/12, "fe80::/10"]
    requester:
      forbiddenUsernames: ["system:anonymous", "ci-*"]`,
    [
      ["an allowed name and address", USER, { sans: [dns("api.example.com"), ip("10.0.0.1")] }, []],
      ["a forbidden name", USER, { sans: [dns("kubernetes.default.svc")] }, ["san-dns-forbidden"]],
      [
        "a forbidden name in upper case",
        USER,
        { sans: [dns("Kubernetes.Default.SVC")] },
        ["san-dns-forbidden"],
      ],
      [
        "a wildcard covering a forbidden name",
        USER,
        { sans: [dns("*.default.svc")] },
        ["san-dns-forbidden"],
      ],
      ["a name under a forbidden **", USER, { sans: [dns("a.b.internal")] }, ["san-dns-forbidden"]],
      ["a wildcard, allowed by wildcardDnsNames", USER, { sans: [dns("*.example.com")] }, []],
      ["an address in a forbidden block", USER, { sans: [ip("10.96.0.1")] }, ["san-ip-forbidden"]],
      [
        "the last address of the block",
        USER,
        { sans: [ip("10.111.255.255")] },
        ["san-ip-forbidden"],
      ],
      ["just past the block", USER, { sans: [ip("10.112.0.0")] }, []],
      ["IPv6 link-local", USER, { sans: [ip("fe80::1")] }, ["san-ip-forbidden"]],
      ["a forbidden requester", { username: "ci-bot", groups: [] }, {}, ["requester-forbidden"]],
      [
        "the anonymous user",
        { username: "system:anonymous", groups: [] },
        {},
        ["requester-forbidden"],
      ],
    ],
  );
});

describe("wildcard DNS names are refused unless the rule says otherwise", () => {
  table(`    subjectAltNames: { dnsNames: ["*.example.com", "**.apps.example.com"] }`, [
    ["a plain name", USER, { sans: [dns("a.example.com")] }, []],
    ["a wildcard the patterns cover", USER, { sans: [dns("*.example.com")] }, ["san-dns-wildcard"]],
    ["a wildcard deeper down", USER, { sans: [dns("*.x.apps.example.com")] }, ["san-dns-wildcard"]],
    ["a bare *", USER, { sans: [dns("*")] }, ["san-dns-not-allowed", "san-dns-wildcard"]],
  ]);
});
