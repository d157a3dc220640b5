import { describe, expect, it } from "vitest";
import { evaluate, loadPolicy, type Policy } from "../../../src/core/policy/index.ts";
import {
  codes,
  decoded,
  dns,
  email,
  ip,
  otherName,
  rsa,
  uri,
  type CsrSpec,
} from "./decoded-csr.ts";

const SIGNER = "example.com/service";

/** A policy with one rule for example.com/service, written as YAML like a user would. */
function policyWith(rule: string): Policy {
  const text = `apiVersion: csr-gitops/v2\nkind: Policy\nsigners:\n  ${SIGNER}:\n${rule
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;
  const loaded = loadPolicy(text, "policy.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

/** A proper request for the test signer; rows override one aspect. */
const base: CsrSpec = {
  signerName: SIGNER,
  usages: ["digital signature", "server auth"],
  cns: ["api.payments.svc"],
  orgs: ["payments"],
  sans: [dns("api.payments.svc")],
  username: "system:serviceaccount:payments:issuer",
  groups: ["system:serviceaccounts", "system:authenticated"],
  expirationSeconds: 3600,
};

const KEYS = "keys: { rsaMinBits: 3072, ecdsaCurves: [P-256, P-384], ed25519: false }";
const USAGES =
  "usages: { allowed: [digital signature, server auth, client auth], required: [server auth] }";

type Row = [name: string, spec: CsrSpec, expected: string[]];

function table(rule: string, rows: Row[]): void {
  const policy = policyWith(rule);
  it.each(rows)("%s", (_name, spec, expected) => {
    const verdict = evaluate(policy, decoded({ ...base, ...spec }));
    expect(codes(verdict.reasons)).toEqual(expected);
    expect(verdict.decision).toBe(expected.length === 0 ? "allow" : "deny");
    expect(verdict.signerRule).toBe(SIGNER);
  });
}

const SANS_ANY_DNS = 'subjectAltNames: { dnsNames: ["**"] }';

describe("usages", () => {
  table(`${USAGES}\n${KEYS}\n${SANS_ANY_DNS}`, [
    ["allowed and required present", {}, []],
    [
      "a usage outside the allowed set",
      { usages: ["server auth", "code signing"] },
      ["usage-not-allowed"],
    ],
    [
      "a usage outside the allowed set, listed twice (reported once)",
      { usages: ["code signing", "server auth", "code signing"] },
      ["usage-not-allowed"],
    ],
    [
      "two usages outside the allowed set, each listed twice",
      {
        usages: [
          "code signing",
          "email protection",
          "server auth",
          "email protection",
          "code signing",
        ],
      },
      ["usage-not-allowed", "usage-not-allowed"],
    ],
    ["a required usage missing", { usages: ["client auth"] }, ["usage-missing"]],
  ]);
});

describe("subject CN and O", () => {
  table(
    `${USAGES}\n${KEYS}\n${SANS_ANY_DNS}
subject:
  commonName: { patterns: ["*.payments.svc"], forbidden: ["admin.*"] }
  organizations: { allowed: ["payments", "team-*"], forbidden: ["team-root"] }`,
    [
      ["CN and O matching", { orgs: ["payments", "team-a"] }, []],
      ["CN outside the patterns", { cns: ["api.billing.svc"] }, ["cn-mismatch"]],
      ["CN pattern is anchored", { cns: ["x.payments.svc.evil"] }, ["cn-mismatch"]],
      ["CN forbidden", { cns: ["admin.payments.svc"] }, ["cn-forbidden"]],
      ["O not allowed", { orgs: ["billing"] }, ["org-not-allowed"]],
      ["O forbidden by the rule", { orgs: ["team-root"] }, ["org-forbidden"]],
      ["O system:masters forbidden policy-wide", { orgs: ["system:masters"] }, ["org-forbidden"]],
      ["no O at all", { orgs: [] }, []],
    ],
  );
});

describe("CN equals requester", () => {
  table(`${USAGES}\n${KEYS}\n${SANS_ANY_DNS}\nsubject: { commonName: { equalsRequester: true } }`, [
    ["CN is the requester", { cns: ["system:serviceaccount:payments:issuer"] }, []],
    ["CN is someone else", { cns: ["alice"] }, ["cn-not-requester"]],
    [
      "node asking for another node's name",
      { cns: ["system:node:b"], username: "system:node:a" },
      ["cn-not-requester-node"],
    ],
    ["node asking for its own name", { cns: ["system:node:a"], username: "system:node:a" }, []],
  ]);
});

describe("subject alternative names", () => {
  table(
    `${USAGES}\n${KEYS}
subjectAltNames:
  required: true
  maxCount: 3
  dnsNames: ["*.payments.svc", "**.internal.example.com"]
  wildcardDnsNames: true
  ipAddresses: ["10.20.0.0/16", "fd00:20::/64"]`,
    [
      ["DNS one label below", { sans: [dns("api.payments.svc")] }, []],
      ["DNS is case-insensitive", { sans: [dns("API.Payments.SVC")] }, []],
      [
        "DNS two labels below a single star",
        { sans: [dns("a.b.payments.svc")] },
        ["san-dns-not-allowed"],
      ],
      [
        "DNS the bare parent of a single star",
        { sans: [dns("payments.svc")] },
        ["san-dns-not-allowed"],
      ],
      ["DNS many labels below a double star", { sans: [dns("a.b.c.internal.example.com")] }, []],
      ["DNS wildcard name covered by a star", { sans: [dns("*.payments.svc")] }, []],
      [
        "DNS wildcard name deeper than allowed",
        { sans: [dns("*.x.payments.svc")] },
        ["san-dns-not-allowed"],
      ],
      ["DNS with a trailing dot", { sans: [dns("api.payments.svc.")] }, ["san-dns-not-allowed"]],
      ["IPv4 inside", { sans: [ip("10.20.255.1")] }, []],
      ["IPv4 outside", { sans: [ip("10.21.0.1")] }, ["san-ip-not-allowed"]],
      ["IPv6 inside", { sans: [ip("fd00:20::abcd")] }, []],
      ["IPv6 outside", { sans: [ip("fd00:21::1")] }, ["san-ip-not-allowed"]],
      ["IPv4-mapped IPv6 is not IPv4", { sans: [ip("::ffff:10.20.0.1")] }, ["san-ip-not-allowed"]],
      [
        "email without an allow-list",
        { sans: [dns("a.payments.svc"), email("a@b.c")] },
        ["san-email-forbidden"],
      ],
      [
        "URI without an allow-list",
        { sans: [dns("a.payments.svc"), uri("spiffe://x")] },
        ["san-uri-forbidden"],
      ],
      [
        "another SAN form",
        { sans: [dns("a.payments.svc"), otherName("otherName:1.2.3")] },
        ["san-forbidden"],
      ],
      ["no SAN when required", { sans: [] }, ["san-required"]],
      [
        "more SANs than maxCount",
        {
          sans: [
            dns("a.payments.svc"),
            dns("b.payments.svc"),
            dns("c.payments.svc"),
            ip("10.20.0.1"),
          ],
        },
        ["san-too-many"],
      ],
      [
        "every bad SAN reported",
        { sans: [dns("evil.com"), ip("192.168.0.1")] },
        ["san-dns-not-allowed", "san-ip-not-allowed"],
      ],
    ],
  );
});

describe("email and URI allow-lists", () => {
  table(
    `${USAGES}\n${KEYS}
subjectAltNames:
  emailAddresses: ["*@payments.example.com"]
  uris: ["spiffe://prod.example.com/ns/payments/*"]`,
    [
      [
        "allowed email and URI",
        {
          sans: [
            email("ops@payments.example.com"),
            uri("spiffe://prod.example.com/ns/payments/sa/api"),
          ],
        },
        [],
      ],
      ["email outside", { sans: [email("ops@evil.com")] }, ["san-email-not-allowed"]],
      [
        "URI outside",
        { sans: [uri("spiffe://prod.example.com/ns/billing/sa/api")] },
        ["san-uri-not-allowed"],
      ],
      ["DNS with no dnsNames list", { sans: [dns("api.payments.svc")] }, ["san-dns-not-allowed"]],
      ["IP with no ipAddresses list", { sans: [ip("10.0.0.1")] }, ["san-ip-not-allowed"]],
    ],
  );
});

describe("keys", () => {
  table(`${USAGES}\n${KEYS}\n${SANS_ANY_DNS}`, [
    ["P-256 allowed", {}, []],
    ["RSA at the minimum", { key: rsa(3072) }, []],
    ["RSA below the minimum", { key: rsa(2048) }, ["key-too-small"]],
    [
      "curve not allowed",
      { key: { algorithm: "ECDSA", curve: "P-521" } },
      ["key-curve-not-allowed"],
    ],
    ["Ed25519 switched off", { key: { algorithm: "Ed25519" } }, ["key-algorithm-not-allowed"]],
  ]);
  table(`${USAGES}\n${SANS_ANY_DNS}\nkeys: { ed25519: true }`, [
    ["RSA not named at all", { key: rsa(4096) }, ["key-algorithm-not-allowed"]],
    ["ECDSA not named at all", {}, ["key-algorithm-not-allowed"]],
    ["Ed25519 named", { key: { algorithm: "Ed25519" } }, []],
  ]);
});

describe("lifetime", () => {
  table(`${USAGES}\n${KEYS}\n${SANS_ANY_DNS}\nexpiration: { maxSeconds: 86400, required: true }`, [
    ["at the maximum", { expirationSeconds: 86400 }, []],
    ["above the maximum", { expirationSeconds: 86401 }, ["lifetime-too-long"]],
    ["unset when required", { expirationSeconds: undefined }, ["lifetime-missing"]],
  ]);
  table(`${USAGES}\n${KEYS}\n${SANS_ANY_DNS}\nexpiration: { maxSeconds: 86400 }`, [
    ["unset when not required", { expirationSeconds: undefined }, []],
  ]);
});

describe("requester", () => {
  table(
    `${USAGES}\n${KEYS}\n${SANS_ANY_DNS}
requester:
  usernames: ["system:serviceaccount:payments:*"]
  requiredGroups: [system:serviceaccounts]
  forbiddenGroups: [system:unauthenticated]`,
    [
      ["matching requester", {}, []],
      [
        "another namespace",
        { username: "system:serviceaccount:billing:x" },
        ["requester-not-allowed"],
      ],
      ["required group missing", { groups: ["system:authenticated"] }, ["requester-group-missing"]],
      [
        "forbidden group present",
        { groups: ["system:serviceaccounts", "system:unauthenticated"] },
        ["requester-group-forbidden"],
      ],
    ],
  );
});

describe("signers without a rule", () => {
  it("are denied as unknown, with the policy-wide checks still reported", () => {
    const policy = policyWith(`${USAGES}\n${KEYS}`);
    const verdict = evaluate(
      policy,
      decoded({ ...base, signerName: "other.example.com/x", orgs: ["system:masters"] }),
    );
    expect(codes(verdict.reasons)).toEqual(["org-forbidden", "unknown-signer"]);
    expect(verdict.signerRule).toBeUndefined();
  });

  it("do not match inherited object properties", () => {
    const policy = policyWith(`${USAGES}\n${KEYS}`);
    const verdict = evaluate(policy, decoded({ ...base, signerName: "constructor" }));
    expect(codes(verdict.reasons)).toEqual(["unknown-signer"]);
  });
});
