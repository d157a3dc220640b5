/**
 * The sentences of the built-in signer checks, the checks that hold for every CSR, and the
 * policy loader's size refusal, asserted whole (see reason-texts.test.ts for the rule checks).
 */
import { describe, expect, it } from "vitest";
import type { DecodeResult } from "../../../src/core/csr/types.ts";
import { DEFAULT_POLICY, evaluate, loadPolicy } from "../../../src/core/policy/index.ts";
import { MAX_POLICY_CHARS } from "../../../src/core/policy/load-policy.ts";
import {
  decoded,
  dns,
  email,
  ip,
  kubeletClientSpec,
  uri,
  userClientSpec,
  type CsrSpec,
} from "./decoded-csr.ts";

function reasonsOf(input: DecodeResult) {
  return evaluate(DEFAULT_POLICY, input).reasons;
}

/** A decoded CSR with request fields the fixture does not set (signature algorithm, defects). */
function withRequest(spec: CsrSpec, request: Record<string, unknown>): DecodeResult {
  const base = decoded(spec);
  if (!base.ok) throw new Error("fixture");
  return { ok: true, csr: { ...base.csr, request: { ...base.csr.request, ...request } } };
}

const client: CsrSpec = { ...userClientSpec(), expirationSeconds: 3600 };

describe("built-in signer checks, as the reviewer reads them", () => {
  it("kubelet signers: the subject O and CN", () => {
    const reasons = reasonsOf(decoded({ orgs: ["system:nodes", "ops"], cns: ["node-1"] }));
    expect(reasons).toContainEqual({
      code: "signer-rule-org-not-system-nodes",
      message: "subject O must be exactly [system:nodes], got [system:nodes, ops]",
      field: "request.subject.O",
    });
    expect(reasons).toContainEqual({
      code: "signer-rule-cn-not-system-node",
      message: 'subject CN "node-1" does not begin with "system:node:"',
      field: "request.subject.CN",
    });
  });

  it("kube-apiserver-client-kubelet: DNS and IP SANs, counted", () => {
    const reasons = reasonsOf(
      decoded({ ...kubeletClientSpec(), sans: [dns("a"), dns("b"), ip("10.0.0.1")] }),
    );
    expect(reasons).toContainEqual({
      code: "signer-rule-san-dns-not-allowed",
      message: "DNS subjectAltNames are not allowed (2 requested)",
      field: "request.subjectAltNames",
    });
    expect(reasons).toContainEqual({
      code: "signer-rule-san-ip-not-allowed",
      message: "IP subjectAltNames are not allowed (1 requested)",
      field: "request.subjectAltNames",
    });
  });

  it("kubelet signers: usages other than the exact sets, both sets named", () => {
    expect(reasonsOf(decoded({ usages: ["server auth"] }))).toContainEqual({
      code: "signer-rule-usages-mismatch",
      message:
        "usages {server auth} must be exactly {digital signature, key encipherment, server auth} or {digital signature, server auth}",
      field: "spec.usages",
    });
  });

  it("kube-apiserver-client: a requester the signer rule forbids", () => {
    expect(reasonsOf(decoded({ ...client, username: "system:anonymous" }))).toEqual([
      {
        code: "requester-forbidden",
        message: 'requester "system:anonymous" is forbidden for this signer',
        field: "spec.username",
      },
    ]);
    expect(
      reasonsOf(decoded({ ...client, username: "system:serviceaccount:ns:deployer" })),
    ).toEqual([]);
  });

  it("a node CN that names no valid node", () => {
    const reasons = reasonsOf(decoded({ cns: ["system:node:A_B"], username: "system:node:A_B" }));
    expect(reasons).toContainEqual({
      code: "cn-not-requester-node",
      message:
        'CN "system:node:A_B" does not name a node: "A_B" is not a valid node name (DNS-1123 subdomain)',
      field: "request.subject.CN",
    });
  });
});

describe("built-in signer checks: every sentence whole", () => {
  const reason = (code: string, message: string, field: string) => ({ code, message, field });

  it("kubelet-serving: every requested usage is listed, comma-separated", () => {
    expect(reasonsOf(decoded({ usages: ["client auth", "server auth"] }))).toContainEqual(
      reason(
        "signer-rule-usages-mismatch",
        "usages {client auth, server auth} must be exactly {digital signature, key encipherment, server auth} or {digital signature, server auth}",
        "spec.usages",
      ),
    );
  });

  it("kubelet-serving: a request without DNS or IP names", () => {
    expect(reasonsOf(decoded({ sans: [] }))).toContainEqual(
      reason(
        "signer-rule-san-dns-or-ip-required",
        "at least one DNS or IP subjectAltName is required",
        "request.subjectAltNames",
      ),
    );
  });

  it("kubelet-serving: email and URI names are named by type and counted", () => {
    const reasons = reasonsOf(
      decoded({ sans: [dns("node-1"), email("a@b.c"), uri("spiffe://x/y"), uri("spiffe://x/z")] }),
    );
    expect(reasons).toContainEqual(
      reason(
        "signer-rule-san-email-not-allowed",
        "email subjectAltNames are not allowed (1 requested)",
        "request.subjectAltNames",
      ),
    );
    expect(reasons).toContainEqual(
      reason(
        "signer-rule-san-uri-not-allowed",
        "URI subjectAltNames are not allowed (2 requested)",
        "request.subjectAltNames",
      ),
    );
  });

  it("kube-apiserver-client-kubelet: email and URI names are named by type and counted", () => {
    const reasons = reasonsOf(
      decoded({
        ...kubeletClientSpec(),
        sans: [email("a@b.c"), email("c@d.e"), uri("spiffe://x/y")],
      }),
    );
    expect(reasons).toContainEqual(
      reason(
        "signer-rule-san-email-not-allowed",
        "email subjectAltNames are not allowed (2 requested)",
        "request.subjectAltNames",
      ),
    );
    expect(reasons).toContainEqual(
      reason(
        "signer-rule-san-uri-not-allowed",
        "URI subjectAltNames are not allowed (1 requested)",
        "request.subjectAltNames",
      ),
    );
  });
});

describe("object invariants, at their bounds", () => {
  const outside = (seconds: number) => ({
    code: "expiration-invalid",
    message: `expirationSeconds ${seconds} is outside what the apiserver accepts (600 to 2147483647): the object is forged or hand-written`,
    field: "spec.expirationSeconds",
  });

  it.each([
    [599, [outside(599)]],
    [600, []],
    [2147483647, []],
    [2147483648, [outside(2147483648)]],
  ])("expirationSeconds %d", (seconds, expected) => {
    // The user-client rule's lifetime limit is a separate reason; only the invariant is read here.
    const reasons = reasonsOf(decoded({ ...client, expirationSeconds: seconds }));
    expect(reasons.filter((r) => r.code === "expiration-invalid")).toEqual(expected);
  });

  it("an empty username", () => {
    expect(reasonsOf(decoded({ ...client, username: "" }))).toEqual([
      {
        code: "requester-missing",
        message:
          "spec.username is empty: the apiserver always sets it, so the object is forged or hand-written",
        field: "spec.username",
      },
    ]);
  });
});

describe("checks that hold for every CSR", () => {
  it("a SHA-1 signature is refused and named", () => {
    expect(reasonsOf(withRequest(client, { signatureAlgorithm: "sha1WithRSAEncryption" }))).toEqual(
      [
        {
          code: "signature-sha1",
          message:
            "the request is signed with sha1WithRSAEncryption; SHA-1 is refused (policy switch allowSha1Signatures)",
          field: "request.signatureAlgorithm",
        },
      ],
    );
    expect(
      reasonsOf(withRequest(client, { signatureAlgorithm: "ecdsa-with-SHA1" })).map((r) => r.code),
    ).toEqual(["signature-sha1"]);
    expect(
      reasonsOf(withRequest(client, { signatureAlgorithm: "rsassa-pss-sha1" })).map((r) => r.code),
    ).toEqual(["signature-sha1"]);
    expect(
      reasonsOf(withRequest(client, { signatureAlgorithm: "sha256WithRSAEncryption" })),
    ).toEqual([]);
  });

  it("a key defect found by the decoder is a reason about the public key", () => {
    const defect = {
      code: "key-rsa-small-exponent",
      message: "RSA public exponent 3 is too small",
    };
    const reasons = reasonsOf(withRequest(client, { keyDefects: [defect] }));
    expect(reasons).toEqual([{ ...defect, field: "request.publicKey" }]);
  });

  it("a subject value that is not a string is named with its type and field", () => {
    const base = decoded(client);
    if (!base.ok) throw new Error("fixture");
    const attributes = [
      { type: "CN", oid: "2.5.4.3", value: "02 01 05", notAString: true, valueType: "INTEGER" },
    ];
    const subject = { ...base.csr.request.subject, attributes };
    expect(reasonsOf(withRequest(client, { subject }))).toEqual([
      {
        code: "subject-value-not-string",
        message:
          "subject CN is a INTEGER (02 01 05): Kubernetes ignores it, other software may not",
        field: "request.subject.attributes[0]",
      },
    ]);
  });

  it("hidden characters: three distinct ones listed, a fourth counted", () => {
    const message = (value: string) =>
      reasonsOf(decoded({ ...client, cns: [value] })).find((r) => r.code === "deceptive-characters")
        ?.message;
    expect(message("a\u200bb\u200cc\u200dd")).toBe(
      'request.subject.CN contains 3 hidden characters: U+200B ZERO WIDTH SPACE (invisible) at character 2, U+200C ZERO WIDTH NON-JOINER (invisible) at character 4, U+200D ZERO WIDTH JOINER (invisible) at character 6; it reads as "a<U+200B>b<U+200C>c<U+200D>d"',
    );
    expect(message("a\u200bb\u200cc\u200dd\u2060e")).toContain(
      "at character 6, and 1 other character; it reads as",
    );
  });

  it("hidden characters in the requester's uid are named as spec.uid", () => {
    const base = decoded(client);
    if (!base.ok || base.csr.object === undefined) throw new Error("fixture");
    const { object } = base.csr;
    const result: DecodeResult = {
      ok: true,
      csr: {
        ...base.csr,
        object: { ...object, requester: { ...object.requester, uid: "u\u200bid" } },
      },
    };
    expect(reasonsOf(result)).toEqual([
      {
        code: "deceptive-characters",
        message:
          'spec.uid contains a hidden character: U+200B ZERO WIDTH SPACE (invisible) at character 2; it reads as "u<U+200B>id"',
        field: "spec.uid",
      },
    ]);
  });

  it("hidden characters: a long value is shown cut short, with the rest counted", () => {
    const reasons = reasonsOf(decoded({ ...client, cns: [`x\u200b${"y".repeat(300)}`] }));
    expect(reasons.map((r) => r.message)).toEqual([
      `request.subject.CN contains a hidden character: U+200B ZERO WIDTH SPACE (invisible) at character 2; it reads as "x<U+200B>${"y".repeat(50)}… 250 more characters"`,
    ]);
  });

  it("hidden characters: positions listed up to three, then counted", () => {
    const cn = (value: string) =>
      reasonsOf(decoded({ ...client, cns: [value] })).find((r) => r.code === "deceptive-characters")
        ?.message;
    expect(cn("x\u200by")).toBe(
      'request.subject.CN contains a hidden character: U+200B ZERO WIDTH SPACE (invisible) at character 2; it reads as "x<U+200B>y"',
    );
    expect(cn("a\u200bb\u200bc")).toContain("at characters 2 and 4;");
    expect(cn("a\u200bb\u200bc\u200bd")).toContain("at characters 2, 4 and 6;");
    expect(cn("a\u200bb\u200bc\u200bd\u200be")).toContain(
      "at characters 2, 4, 6 and 1 more places;",
    );
  });
});

describe("the policy loader", () => {
  it("reads a policy of exactly the size limit", () => {
    const head = "apiVersion: csr-gitops/v2\nkind: Policy\nsigners: {}\n# ";
    const text = head + "x".repeat(MAX_POLICY_CHARS - head.length);
    expect(text.length).toBe(MAX_POLICY_CHARS);
    expect(loadPolicy(text, "edge.yaml").ok).toBe(true);
  });

  it("refuses an alias bomb while converting, at the start of the file", () => {
    const bomb = `apiVersion: csr-gitops/v2
kind: Policy
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
signers: {}
`;
    expect(loadPolicy(bomb, "p.yaml")).toEqual({
      ok: false,
      errors: [
        {
          file: "p.yaml",
          line: 1,
          column: 1,
          field: "",
          message: "Excessive alias count indicates a resource exhaustion attack",
        },
      ],
    });
  });

  it("refuses an oversized policy with one error at the start of the file", () => {
    const text = `# ${"x".repeat(MAX_POLICY_CHARS)}`;
    expect(loadPolicy(text, "big.yaml")).toEqual({
      ok: false,
      errors: [
        {
          file: "big.yaml",
          line: 1,
          column: 1,
          field: "",
          message: `policy is ${text.length} characters, more than the limit of ${MAX_POLICY_CHARS}`,
        },
      ],
    });
  });
});
