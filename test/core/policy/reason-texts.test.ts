/**
 * What a reviewer reads: every reason is asserted whole (code, sentence and field), because the PR
 * body shows the sentence and the field. A check that reports the right code with a wrong value in
 * its sentence (another SAN, another limit) would mislead the reviewer as much as a wrong code.
 */
import { describe, expect, it } from "vitest";
import type { Reason } from "../../../src/core/policy/index.ts";
import {
  DEFAULT_POLICY,
  evaluate,
  loadPolicy,
  type Policy,
} from "../../../src/core/policy/index.ts";
import {
  decoded,
  dns,
  email,
  ip,
  otherName,
  P256,
  rsa,
  uri,
  userClientSpec,
  type CsrSpec,
} from "./decoded-csr.ts";

const SIGNER = "example.com/svc";

function load(rule: object, extra: object = {}): Policy {
  const loaded = loadPolicy(
    JSON.stringify({
      apiVersion: "csr-gitops/v2",
      kind: "Policy",
      forbiddenOrganizations: ["system:masters"],
      ...extra,
      signers: { [SIGNER]: rule },
    }),
    "reasons.json",
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

const rule = {
  usages: { allowed: ["digital signature", "server auth"], required: ["server auth"] },
  subject: {
    commonName: { patterns: ["svc-*", "web"], forbidden: ["svc-admin"] },
    organizations: { allowed: ["team-*"], forbidden: ["team-root"] },
  },
  subjectAltNames: {
    maxCount: 3,
    dnsNames: ["*.example.com"],
    ipAddresses: ["10.0.0.0/8"],
    emailAddresses: ["*@example.com"],
    uris: ["spiffe://example.com/*"],
  },
  keys: { rsaMinBits: 3072, ecdsaCurves: ["P-256", "P-384"] },
  expiration: { maxSeconds: 86400, required: true },
  requester: {
    usernames: ["deployer", "ci-*"],
    requiredGroups: ["deployers", "audited"],
    forbiddenGroups: ["interns"],
  },
};
const policy = load(rule);

const good: CsrSpec = {
  signerName: SIGNER,
  usages: ["digital signature", "server auth"],
  cns: ["svc-a"],
  orgs: ["team-a"],
  sans: [dns("a.example.com")],
  key: P256,
  username: "ci-runner",
  groups: ["deployers", "audited", "system:authenticated"],
  expirationSeconds: 3600,
};

function reasons(spec: CsrSpec, p: Policy = policy): readonly Reason[] {
  return evaluate(p, decoded({ ...good, ...spec })).reasons;
}

describe("each reason, exactly as the reviewer reads it", () => {
  it("the good request has none", () => {
    expect(reasons({})).toEqual([]);
  });

  it.each<[string, CsrSpec, Reason[]]>([
    [
      "usages",
      { usages: ["digital signature", "client auth", "client auth"] },
      [
        {
          code: "usage-not-allowed",
          message: 'usage "client auth" is not allowed (allowed: digital signature, server auth)',
          field: "spec.usages",
        },
        { code: "usage-missing", message: 'usage "server auth" is required', field: "spec.usages" },
      ],
    ],
    [
      "CN matching no pattern",
      { cns: ["db"] },
      [
        {
          code: "cn-mismatch",
          message: 'CN "db" matches none of "svc-*", "web"',
          field: "request.subject.CN",
        },
      ],
    ],
    [
      "forbidden CN, also when folded",
      { cns: ["SVC-Admin"] },
      [
        {
          code: "cn-mismatch",
          message: 'CN "SVC-Admin" matches none of "svc-*", "web"',
          field: "request.subject.CN",
        },
        {
          code: "cn-forbidden",
          message: 'CN "SVC-Admin" is forbidden',
          field: "request.subject.CN",
        },
      ],
    ],
    [
      "organisations: forbidden (policy-wide and rule) and not allowed",
      { orgs: ["team-root", "System:Masters", "ops", "team-b"] },
      [
        {
          code: "org-forbidden",
          message: 'organisation "team-root" is forbidden',
          field: "request.subject.O",
        },
        {
          code: "org-forbidden",
          message: 'organisation "System:Masters" is forbidden',
          field: "request.subject.O",
        },
        {
          code: "org-not-allowed",
          message: 'organisation "ops" matches none of "team-*"',
          field: "request.subject.O",
        },
      ],
    ],
    [
      "SANs of every type, each with its index",
      {
        sans: [
          dns("a.example.org"),
          ip("192.168.0.1"),
          email("a@example.org"),
          uri("https://example.com/x"),
          otherName("otherName:1.2.3"),
          dns("ok.example.com"),
        ],
      },
      [
        {
          code: "san-too-many",
          message: "6 subjectAltNames requested, at most 3 allowed",
          field: "request.subjectAltNames",
        },
        {
          code: "san-dns-not-allowed",
          message: 'DNS name "a.example.org" is not allowed',
          field: "request.subjectAltNames[0]",
        },
        {
          code: "san-ip-not-allowed",
          message: "IP address 192.168.0.1 is not allowed",
          field: "request.subjectAltNames[1]",
        },
        {
          code: "san-email-not-allowed",
          message: 'email "a@example.org" is not allowed',
          field: "request.subjectAltNames[2]",
        },
        {
          code: "san-uri-not-allowed",
          message: 'URI "https://example.com/x" is not allowed',
          field: "request.subjectAltNames[3]",
        },
        {
          code: "san-forbidden",
          message: "SAN otherName:1.2.3 is of a form never allowed",
          field: "request.subjectAltNames[4]",
        },
      ],
    ],
    [
      "exactly maxCount SANs, all allowed",
      {
        sans: [dns("a.example.com"), ip("10.1.2.3"), email("x@example.com")],
      },
      [],
    ],
    [
      "an RSA key below the minimum",
      { key: rsa(3071) },
      [
        {
          code: "key-too-small",
          message: "RSA key has 3071 bits, at least 3072 required",
          field: "request.publicKey",
        },
      ],
    ],
    ["an RSA key of exactly the minimum", { key: rsa(3072) }, []],
    [
      "an ECDSA curve not listed",
      { key: { algorithm: "ECDSA", curve: "P-521" } },
      [
        {
          code: "key-curve-not-allowed",
          message: "ECDSA curve P-521 is not allowed (allowed: P-256, P-384)",
          field: "request.publicKey",
        },
      ],
    ],
    [
      "an Ed25519 key the rule does not allow",
      { key: { algorithm: "Ed25519" } },
      [
        {
          code: "key-algorithm-not-allowed",
          message: "Ed25519 keys are not allowed",
          field: "request.publicKey",
        },
      ],
    ],
    [
      "a lifetime over the maximum",
      { expirationSeconds: 86401 },
      [
        {
          code: "lifetime-too-long",
          message: "expirationSeconds 86401 exceeds the maximum 86400",
          field: "spec.expirationSeconds",
        },
      ],
    ],
    ["a lifetime of exactly the maximum", { expirationSeconds: 86400 }, []],
    [
      "no lifetime where one is required",
      { expirationSeconds: undefined },
      [
        {
          code: "lifetime-missing",
          message: "expirationSeconds must be set",
          field: "spec.expirationSeconds",
        },
      ],
    ],
    [
      "the requester: name, missing and forbidden groups",
      { username: "bob", groups: ["deployers", "interns"] },
      [
        {
          code: "requester-not-allowed",
          message: 'requester "bob" matches none of "deployer", "ci-*"',
          field: "spec.username",
        },
        {
          code: "requester-group-missing",
          message: 'requester is not in group "audited"',
          field: "spec.groups",
        },
        {
          code: "requester-group-forbidden",
          message: 'requester is in forbidden group "interns"',
          field: "spec.groups",
        },
      ],
    ],
  ])("%s", (_name, spec, expected) => {
    expect(reasons(spec)).toEqual(expected);
  });

  it("a rule without RSA or ECDSA lists says which algorithm is refused", () => {
    const strict = load({ ...rule, keys: { ed25519: true } });
    expect(reasons({ key: rsa(4096) }, strict)).toEqual([
      {
        code: "key-algorithm-not-allowed",
        message: "RSA keys are not allowed",
        field: "request.publicKey",
      },
    ]);
    expect(reasons({}, strict)).toEqual([
      {
        code: "key-algorithm-not-allowed",
        message: "ECDSA keys are not allowed",
        field: "request.publicKey",
      },
    ]);
    expect(reasons({ key: { algorithm: "Ed25519" } }, strict)).toEqual([]);
  });

  it("a rule without email or URI lists forbids those SANs outright", () => {
    const bare = load({ ...rule, subjectAltNames: { dnsNames: ["**"], required: true } });
    expect(reasons({ sans: [email("a@example.com"), uri("spiffe://x")] }, bare)).toEqual([
      {
        code: "san-email-forbidden",
        message: 'email SAN "a@example.com" is forbidden',
        field: "request.subjectAltNames[0]",
      },
      {
        code: "san-uri-forbidden",
        message: 'URI SAN "spiffe://x" is forbidden',
        field: "request.subjectAltNames[1]",
      },
    ]);
    expect(reasons({ sans: [] }, bare)).toEqual([
      {
        code: "san-required",
        message: "at least one subjectAltName is required",
        field: "request.subjectAltNames",
      },
    ]);
  });

  it("a CN that must equal the requester names both", () => {
    const own = load({ ...rule, subject: { commonName: { equalsRequester: true } } });
    expect(reasons({ cns: ["alice"], username: "ci-bob" }, own)).toEqual([
      {
        code: "cn-not-requester",
        message: 'CN "alice" is not the requester\'s username "ci-bob"',
        field: "request.subject.CN",
      },
    ]);
    expect(reasons({ cns: ["ci-bob"], username: "ci-bob" }, own)).toEqual([]);
  });

  it("a node asking for a CN that is no node name is told it may only ask for its own", () => {
    // No requester list in this rule: the node username is not refused on its own.
    const own = load({
      ...rule,
      requester: undefined,
      subject: { commonName: { equalsRequester: true } },
    });
    expect(reasons({ cns: ["svc-a"], username: "system:node:a" }, own)).toEqual([
      {
        code: "cn-not-requester-node",
        message:
          'CN "svc-a" is not the requesting node "system:node:a": a node may only ask for its own name',
        field: "request.subject.CN",
      },
    ]);
  });

  it("a CN that is the requester's own odd node username is judged by the patterns alone without equalsRequester", () => {
    // "system:node:a:b" names no node; only a rule that ties the CN to the requester says so.
    const patterns = load({
      ...rule,
      requester: undefined,
      subject: { commonName: { patterns: ["system:node:*"] } },
    });
    const odd: CsrSpec = { cns: ["system:node:a:b"], username: "system:node:a:b" };
    expect(reasons(odd, patterns)).toEqual([]);
    const own = load({
      ...rule,
      requester: undefined,
      subject: { commonName: { patterns: ["system:node:*"], equalsRequester: true } },
    });
    expect(reasons(odd, own)).toEqual([
      {
        code: "cn-not-requester-node",
        message:
          'CN "system:node:a:b" does not name a node: "a:b" is not a valid node name (DNS-1123 subdomain)',
        field: "request.subject.CN",
      },
    ]);
  });

  it("a forbidden IP address is named with its field", () => {
    const ipRule = load({
      ...rule,
      subjectAltNames: { ipAddresses: ["10.0.0.0/8"], forbiddenIpAddresses: ["10.0.0.0/24"] },
    });
    expect(reasons({ sans: [ip("10.1.0.1"), ip("10.0.0.5")] }, ipRule)).toEqual([
      {
        code: "san-ip-forbidden",
        message: "IP address 10.0.0.5 is forbidden",
        field: "request.subjectAltNames[1]",
      },
    ]);
  });

  it("an organisation outside the allow-list is told every allowed pattern", () => {
    const orgRule = load({
      ...rule,
      subject: { ...rule.subject, organizations: { allowed: ["team-*", "ops"] } },
    });
    expect(reasons({ orgs: ["dev"] }, orgRule)).toEqual([
      {
        code: "org-not-allowed",
        message: 'organisation "dev" matches none of "team-*", "ops"',
        field: "request.subject.O",
      },
    ]);
  });

  it("a node name may be 253 characters long, not 254 (DNS-1123 subdomain)", () => {
    const own = load({
      ...rule,
      requester: undefined,
      subject: { commonName: { patterns: ["system:node:*"], equalsRequester: true } },
    });
    const named = (node: string): readonly Reason[] =>
      reasons({ cns: [`system:node:${node}`], username: `system:node:${node}` }, own).filter(
        (r) => r.code === "cn-not-requester-node",
      );
    const longest = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join(".");
    expect(longest).toHaveLength(253);
    expect(named(longest)).toEqual([]);
    expect(named(`${longest}d`).map((r) => r.message)).toEqual([
      `CN "system:node:${longest}d" does not name a node: "${longest}d" is not a valid node name (DNS-1123 subdomain)`,
    ]);
  });

  it("an empty ecdsaCurves list refuses ECDSA as an algorithm, not as a curve", () => {
    const none = load({ ...rule, keys: { ecdsaCurves: [], ed25519: true } });
    expect(reasons({}, none)).toEqual([
      {
        code: "key-algorithm-not-allowed",
        message: "ECDSA keys are not allowed",
        field: "request.publicKey",
      },
    ]);
  });

  it("a wildcard DNS name and a forbidden DNS name are named with their field", () => {
    const dnsRule = load({
      ...rule,
      subjectAltNames: { dnsNames: ["**"], forbiddenDnsNames: ["*.internal.example.com"] },
    });
    expect(
      reasons({ sans: [dns("*.example.com"), dns("db.internal.example.com")] }, dnsRule),
    ).toEqual([
      {
        code: "san-dns-wildcard",
        message:
          'wildcard DNS name "*.example.com" is not allowed (a certificate for every name below it)',
        field: "request.subjectAltNames[0]",
      },
      {
        code: "san-dns-forbidden",
        message: 'DNS name "db.internal.example.com" is forbidden',
        field: "request.subjectAltNames[1]",
      },
    ]);
  });

  it("object-level reasons carry their sentence and field", () => {
    expect(
      evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), phase: "Denied" })).reasons,
    ).toEqual([
      {
        code: "not-pending",
        message: "the CSR is Denied; only a Pending CSR can be approved",
        field: "status.conditions",
      },
    ]);
    expect(
      evaluate(
        DEFAULT_POLICY,
        decoded({ ...userClientSpec(), signerName: "kubernetes.io/legacy-unknown" }),
      ).reasons,
    ).toEqual([
      {
        code: "legacy-unknown-signer",
        message: "signer kubernetes.io/legacy-unknown is never approved",
        field: "spec.signerName",
      },
    ]);
    expect(
      evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), signerName: "example.com/x" }))
        .reasons,
    ).toEqual([
      {
        code: "unknown-signer",
        message: 'the policy has no rule for signer "example.com/x"',
        field: "spec.signerName",
      },
    ]);
    expect(
      evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), signatureValid: false })).reasons,
    ).toEqual([
      {
        code: "signature-invalid",
        message: "the request's signature does not verify with its own public key",
        field: "spec.request",
      },
    ]);
    expect(evaluate(DEFAULT_POLICY, decoded({ ...userClientSpec(), bare: true }))).toMatchObject({
      reasons: [
        {
          code: "no-kubernetes-object",
          message: "a bare PEM request has no signer, usages or requester to judge it by",
        },
      ],
      signerRule: undefined,
    });
  });

  it("an unknown signer still gets the policy-wide organisation check", () => {
    expect(
      evaluate(
        DEFAULT_POLICY,
        decoded({ ...userClientSpec(), signerName: "example.com/x", orgs: ["system:masters"] }),
      ).reasons.map((r) => r.code),
    ).toEqual(["unknown-signer", "org-forbidden"]);
  });
});
