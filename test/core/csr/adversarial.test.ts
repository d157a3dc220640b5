/**
 * Adversarial rows for decoding: requests and objects an attacker can hand the apiserver (or the
 * CLI) that could be read differently here than by Go's signer, hide a subject value, or make the
 * decoder crash or hang. Requests are hand-made DER signed with a real key, so each row is a
 * genuine request and only the part under test is unusual.
 */
import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCsrObject, decodeCsrPem, decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import type { CsrPhase, DecodeResult } from "../../../src/core/csr/types.ts";
import { DEFAULT_POLICY } from "../../../src/core/policy/default-policy.ts";
import { evaluate } from "../../../src/core/policy/evaluate.ts";
import { cachedKeyPair, makeCsrDer, makeCsrObject, toPem } from "../../support/make-csr.ts";

type Bytes = readonly number[];

function length(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  if (n < 0x10000) return [0x82, n >> 8, n & 0xff];
  return [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
}

function tlv(tag: number, ...contents: Bytes[]): number[] {
  const body = contents.flat();
  return [tag, ...length(body.length), ...body];
}

const OID = {
  CN: [0x06, 0x03, 0x55, 0x04, 0x03],
  O: [0x06, 0x03, 0x55, 0x04, 0x0a],
  extensionRequest: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e],
  subjectAltName: [0x06, 0x03, 0x55, 0x1d, 0x11],
  private: [0x06, 0x04, 0x2b, 0x06, 0x01, 0x04],
  ecdsaWithSha256: [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
};

const STRING_TAG = { utf8: 0x0c, printable: 0x13, teletex: 0x14, ia5: 0x16, bmp: 0x1e } as const;
type StringType = keyof typeof STRING_TAG;

function text(type: StringType, value: string): number[] {
  if (type === "bmp") return tlv(STRING_TAG.bmp, [...Buffer.from(value, "utf16le").swap16()]);
  return tlv(STRING_TAG[type], [...Buffer.from(value, "latin1")]);
}

/** `depth` levels around `inner`, each level's header from `wrap(inner length)`; linear time. */
function nest(depth: number, inner: Bytes, wrap: (innerLength: number) => number[]): number[] {
  const prefixes: number[][] = [];
  let size = inner.length;
  for (let i = 0; i < depth; i++) {
    const prefix = wrap(size);
    prefixes.push(prefix);
    size += prefix.length;
  }
  return [...prefixes.reverse().flat(), ...inner];
}

const sequenceHeader = (n: number): number[] => [0x30, ...length(n)];

/** SEQUENCE { SET { SEQUENCE { CN, <inner> } } }: one more level of Name inside an attribute. */
function nameLevel(n: number): number[] {
  const atvHeader = [0x30, ...length(OID.CN.length + n)];
  const setHeader = [0x31, ...length(atvHeader.length + OID.CN.length + n)];
  const seqHeader = [0x30, ...length(setHeader.length + atvHeader.length + OID.CN.length + n)];
  return [...seqHeader, ...setHeader, ...atvHeader, ...OID.CN];
}

const atv = (oid: Bytes, value: Bytes): number[] => tlv(0x30, oid, value);
/** A Name of RDNs, each RDN a list of attribute-type-and-values. */
const name = (...rdns: Bytes[][]): number[] => tlv(0x30, ...rdns.map((r) => tlv(0x31, ...r)));

/** A request signed with the cached P-256 key: only `subject` and `extensions` vary. */
function request(subject: Bytes, extensions: Bytes[] = []): Uint8Array {
  const { privateKey, publicKey } = cachedKeyPair("p256");
  const spki = [...publicKey.export({ type: "spki", format: "der" })];
  const attributes =
    extensions.length === 0
      ? tlv(0xa0)
      : tlv(0xa0, tlv(0x30, OID.extensionRequest, tlv(0x31, tlv(0x30, ...extensions))));
  const info = tlv(0x30, [0x02, 0x01, 0x00], subject, spki, attributes);
  const signature = [...sign("sha256", Buffer.from(info), privateKey)];
  return Uint8Array.from(
    tlv(0x30, info, tlv(0x30, OID.ecdsaWithSha256), tlv(0x03, [0x00], signature)),
  );
}

const sanExtension = (...names: Bytes[]): number[] =>
  tlv(0x30, OID.subjectAltName, tlv(0x04, tlv(0x30, ...names)));

/** A user-client CSR object around a request, requested by an administrator. */
function clientObject(der: Uint8Array, extra: Record<string, unknown> = {}): DecodeResult {
  return decodeCsrObject({
    apiVersion: "certificates.k8s.io/v1",
    kind: "CertificateSigningRequest",
    metadata: { name: "csr-adversarial" },
    spec: {
      request: Buffer.from(toPem(der)).toString("base64"),
      signerName: "kubernetes.io/kube-apiserver-client",
      usages: ["digital signature", "client auth"],
      expirationSeconds: 3600,
      username: "admin",
      groups: ["system:authenticated"],
      ...extra,
    },
  });
}

function codesOf(result: DecodeResult): string[] {
  return evaluate(DEFAULT_POLICY, result)
    .reasons.map((r) => r.code)
    .sort();
}

describe("subject: every string type Go reads is read the same here", () => {
  it.each(["utf8", "printable", "teletex", "ia5", "bmp"] as const)(
    "O=system:masters as a %s string is found and refused",
    (type) => {
      const der = request(
        name([atv(OID.O, text(type, "system:masters"))], [atv(OID.CN, text("utf8", "alice"))]),
      );
      const result = clientObject(der);
      expect(result.ok && result.csr.request.subject.organizations).toEqual(["system:masters"]);
      expect(result.ok && result.csr.request.signatureValid).toBe(true);
      expect(codesOf(result)).toEqual(["org-forbidden", "signer-rule-org-system-masters"]);
    },
  );

  it("O=system:masters inside a multi-valued RDN with the CN is found", () => {
    const der = request(
      name([atv(OID.CN, text("utf8", "alice")), atv(OID.O, text("utf8", "system:masters"))]),
    );
    expect(codesOf(clientObject(der))).toEqual(["org-forbidden", "signer-rule-org-system-masters"]);
  });

  it("two CNs are refused: Go reads the last one, this decoder shows the first", () => {
    const der = request(
      name([atv(OID.CN, text("utf8", "alice"))], [atv(OID.CN, text("utf8", "bob"))]),
    );
    const result = clientObject(der);
    expect(result.ok && result.csr.request.subject.commonName).toBe("alice");
    expect(codesOf(result)).toEqual(["subject-multiple-cn"]);
  });

  it("an empty subject decodes with no CN and no O", () => {
    const result = clientObject(request(tlv(0x30)));
    expect(result.ok && result.csr.request.subject).toMatchObject({
      commonName: "",
      organizations: [],
    });
  });
});

describe("subjectAltName: one reading only", () => {
  const dns = (value: string): number[] => tlv(0x82, [...Buffer.from(value, "latin1")]);

  it("two subjectAltName extensions are refused (Go keeps the last, a reader might keep the first)", () => {
    const der = request(name([atv(OID.CN, text("utf8", "web"))]), [
      sanExtension(dns("a.example.com")),
      sanExtension(dns("evil.example.net")),
    ]);
    const result = decodeRequestDer(der);
    expect(result.ok ? "ok" : result.error.code).toBe("malformed-extension");
  });

  it("a DNS name with a byte above 0x7f is refused, as Go refuses it", () => {
    const der = request(name([atv(OID.CN, text("utf8", "web"))]), [
      sanExtension(tlv(0x82, [0x61, 0xe9, 0x2e, 0x63, 0x6f, 0x6d])),
    ]);
    const result = decodeRequestDer(der);
    expect(result.ok ? "ok" : result.error.code).toBe("malformed-extension");
  });

  it("a DNS name with a NUL decodes as it is, so policy can see and refuse it", () => {
    const der = request(name([atv(OID.CN, text("utf8", "web"))]), [
      sanExtension(dns("www.bank.com\u0000.example.com")),
    ]);
    const result = decodeRequestDer(der);
    expect(result.ok && result.request.subjectAltNames).toEqual([
      { type: "DNS", value: "www.bank.com\u0000.example.com" },
    ]);
  });

  it("an IPv4-mapped IPv6 SAN stays IPv6 in the decoded form", () => {
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1];
    const der = request(name([atv(OID.CN, text("utf8", "web"))]), [
      sanExtension(tlv(0x87, mapped)),
    ]);
    const result = decodeRequestDer(der);
    expect(result.ok && result.request.subjectAltNames).toEqual([
      { type: "IP", value: "::ffff:10.0.0.1", version: 6 },
    ]);
  });

  it("thousands of SANs decode or are refused, and every one is judged", () => {
    const names = Array.from({ length: 3000 }, (_, i) => `n${i}.example.com`);
    const result = decodeCsrPem(toPem(makeCsrDer({ subject: { CN: "web" }, dns: names })));
    if (result.ok) expect(result.csr.request.subjectAltNames).toHaveLength(3000);
    else expect(result.error.code).toMatch(/^(malformed-der|malformed-extension|input-too-large)$/);
  });
});

describe("decoder input that must not crash", () => {
  it.each([200, 5000])("an extension value nested %i SEQUENCEs deep", (depth) => {
    const value = nest(depth, [0x05, 0x00], sequenceHeader);
    const der = request(name([atv(OID.CN, text("utf8", "web"))]), [
      tlv(0x30, OID.private, tlv(0x04, value)),
    ]);
    const result = decodeRequestDer(der);
    expect(typeof result.ok).toBe("boolean");
  });

  it.each([40, 5000])("a subject value nested %i SEQUENCEs deep is refused", (depth) => {
    const der = request(name([atv(OID.CN, nest(depth, [0x05, 0x00], sequenceHeader))]));
    const result = decodeRequestDer(der);
    expect(result.ok ? "ok" : result.error.code).toMatch(/^malformed-der$|^ok$/);
  });

  it("a directoryName SAN nested deep is refused or shown, never thrown", () => {
    const inner = nest(3000, name([atv(OID.CN, text("utf8", "x"))]), nameLevel);
    const der = request(name([atv(OID.CN, text("utf8", "web"))]), [sanExtension(tlv(0xa4, inner))]);
    const result = decodeRequestDer(der);
    expect(typeof result.ok).toBe("boolean");
  });
});

describe("the Kubernetes object", () => {
  const der = makeCsrDer({ subject: { CN: "alice", O: ["developers"] } });

  it("a __proto__ key in spec.extra stays a plain key and pollutes nothing", () => {
    const value: unknown = JSON.parse(
      JSON.stringify(makeCsrObject({ subject: { CN: "alice" } })).replace(
        '"spec":{',
        '"spec":{"extra":{"__proto__":["x"],"constructor":["y"]},',
      ),
    );
    const result = decodeCsrObject(value);
    expect(result.ok).toBe(true);
    if (!result.ok || result.csr.object === undefined) return;
    const extra = result.csr.object.requester.extra;
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(Object.keys(extra).sort()).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("a YAML object with a key given twice is refused, not read either way", () => {
    const yaml = `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: { name: x }
spec:
  signerName: kubernetes.io/kube-apiserver-client
  signerName: example.com/anything
  request: aGVsbG8=
`;
    const parsed = parseCsrInput(yaml);
    expect(parsed.ok ? "ok" : parsed.error.code).toBe("not-yaml-or-json");
  });

  const phaseOf = (conditions: object[], certificate?: string): CsrPhase | undefined => {
    const result = decodeCsrObject(
      makeCsrObject({
        subject: { CN: "alice" },
        conditions,
        ...(certificate === undefined ? {} : { certificate }),
      }),
    );
    return result.ok ? result.csr.object?.phase : undefined;
  };

  it.each([
    [
      [
        { type: "Approved", status: "True" },
        { type: "Denied", status: "True" },
      ],
      "Denied",
    ],
    [
      [
        { type: "Denied", status: "True" },
        { type: "Approved", status: "True" },
      ],
      "Denied",
    ],
    [
      [
        { type: "Approved", status: "True" },
        { type: "Failed", status: "True" },
      ],
      "Failed",
    ],
    [[{ type: "Approved" }], "Approved"],
    [[{ type: "SomethingElse", status: "True" }], "Pending"],
    [[], "Pending"],
  ])("conditions %j -> %s", (conditions, phase) => {
    expect(phaseOf(conditions)).toBe(phase);
  });

  it("a certificate without an Approved condition is Issued, not Pending", () => {
    expect(phaseOf([], "LS0tLS1CRUdJTg==")).toBe("Issued");
  });

  // v1 requires "True" for these types. The phase reads another status as Pending (it shows what
  // the conditions say), but such an anomaly must never be approvable.
  it.each([
    [{ type: "Approved", status: "False" }],
    [{ type: "Denied", status: "Unknown" }],
    [{ type: "Failed", status: "False" }],
  ])("a condition %j makes the CSR not approvable", (condition) => {
    const result = decodeCsrObject(
      makeCsrObject({
        subject: { CN: "alice", O: ["developers"] },
        conditions: [condition],
        expirationSeconds: 3600,
      }),
    );
    expect(codesOf(result)).toEqual(["not-pending"]);
  });

  it.each([["kubernetes.io/kube-apiserver-client\u0000"], ["constructor"], ["__proto__"]])(
    "signerName %j finds no rule",
    (signerName) => {
      expect(codesOf(clientObject(der, { signerName }))).toContain("unknown-signer");
    },
  );
});
