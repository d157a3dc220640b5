/**
 * The readers in front of the decoder (DER headers, OIDs, PEM, base64, YAML/JSON input, IP text),
 * each edge asserted with its exact outcome: the error code and the sentence a user reads, or the
 * exact value. Found by mutation testing: these were the rows whose outcome no test pinned.
 */
import { describe, expect, it } from "vitest";
import { decodeBase64Strict } from "../../../src/core/csr/base64.ts";
import { decodeCsrObject, decodeCsrPem } from "../../../src/core/csr/decode.ts";
import { bytesEqual, decodeOid, readChildren, readTlvHeader } from "../../../src/core/csr/der.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import { formatIp } from "../../../src/core/csr/ip-address.ts";
import { MAX_INPUT_BYTES } from "../../../src/core/csr/limits.ts";
import { derToPem, pemToDer } from "../../../src/core/csr/pem.ts";
import { makeCsrDer, makeCsrObject, toPem } from "../../support/make-csr.ts";

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe("DER headers", () => {
  it.each<[string, number[], string]>([
    ["no byte at all", [], "input ends inside a tag"],
    ["a high tag number", [0x1f, 0x01, 0x00], "high tag numbers are not used in a CSR"],
    ["indefinite length", [0x30, 0x80], "indefinite length is not DER"],
    ["a length of 5 bytes", [0x04, 0x85, 1, 0, 0, 0, 0], "length of 5 bytes is absurd"],
    ["a length cut short", [0x04, 0x82, 0x01], "input ends inside a length"],
    ["a long length with a leading zero", [0x04, 0x82, 0x00, 0x80], "non-minimal length encoding"],
    ["a long length for a short value", [0x04, 0x81, 0x05], "non-minimal length encoding"],
  ])("%s: %s", (_name, input, reason) => {
    expect(readTlvHeader(bytes(...input), 0)).toEqual({ ok: false, reason });
  });

  it("a length of exactly 4 bytes is read", () => {
    expect(readTlvHeader(bytes(0x04, 0x84, 0x01, 0x00, 0x00, 0x00), 0)).toMatchObject({
      ok: true,
      tlv: { tag: 0x04, start: 6, end: 6 + 0x01000000 },
    });
  });

  it("a long length of 128 is read", () => {
    expect(readTlvHeader(bytes(0x04, 0x81, 0x80), 0)).toMatchObject({
      ok: true,
      tlv: { tag: 0x04, start: 3, end: 131 },
    });
  });

  it("a child that overruns its container is refused", () => {
    expect(readChildren(bytes(0x04, 0x05, 0x00), 0, 3)).toEqual({
      ok: false,
      reason: "element overruns its container",
    });
  });
});

describe("OBJECT IDENTIFIERs", () => {
  it.each<[string, number[], string | undefined]>([
    ["first arc 0", [0x27], "0.39"],
    ["first arc 1 at its lower bound", [0x28], "1.0"],
    ["first arc 1 at its upper bound", [0x4f], "1.39"],
    ["first arc 2", [0x50], "2.0"],
    ["a multi-byte arc", [0x2a, 0x86, 0x48], "1.2.840"],
    ["a 64-byte OID", new Array<number>(64).fill(0x01), `0.1${".1".repeat(63)}`],
    ["no content", [], undefined],
    ["65 bytes", new Array<number>(65).fill(0x01), undefined],
    ["an arc with a leading zero group", [0x2a, 0x80, 0x01], undefined],
    ["the first arc with a leading zero group", [0x80, 0x01], undefined],
    ["an arc cut short", [0x2a, 0x86], undefined],
    [
      "an arc above the safe integer range",
      [0x2a, 0x90, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
      undefined,
    ],
  ])("%s", (_name, content, oid) => {
    expect(decodeOid(bytes(...content))).toBe(oid);
  });

  it("bytesEqual compares length and every byte", () => {
    expect(bytesEqual(bytes(1, 2), bytes(1, 2))).toBe(true);
    expect(bytesEqual(bytes(1, 2), bytes(1, 2, 3))).toBe(false);
    expect(bytesEqual(bytes(1, 2), bytes(1, 3))).toBe(false);
    expect(bytesEqual(bytes(), bytes())).toBe(true);
  });
});

describe("PEM", () => {
  const der = makeCsrDer({ subject: { CN: "pem" } });
  const pem = toPem(der);

  it.each<[string, string, string, string]>([
    ["no BEGIN line", "hello", "not-pem", "no -----BEGIN line: not a PEM block"],
    [
      "two blocks",
      pem + pem,
      "multiple-pem-blocks",
      "2 PEM blocks where exactly one CERTIFICATE REQUEST is expected",
    ],
    [
      "a BEGIN line without its dashes",
      "-----BEGIN CERTIFICATE REQUEST\nAAAA\n",
      "not-pem",
      "malformed -----BEGIN line",
    ],
    [
      "a lower-case label",
      "-----BEGIN certificate request-----\n-----END certificate request-----\n",
      "not-pem",
      "malformed -----BEGIN line",
    ],
    [
      "an empty label",
      "-----BEGIN -----\n-----END -----\n",
      "not-pem",
      "malformed -----BEGIN line",
    ],
    [
      "no END line",
      "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n",
      "not-pem",
      "no -----END CERTIFICATE REQUEST----- line",
    ],
    [
      "another label",
      toPem(der, "CERTIFICATE"),
      "wrong-pem-type",
      'PEM block is "CERTIFICATE", expected "CERTIFICATE REQUEST"',
    ],
    [
      "headers",
      pem.replace("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n"),
      "not-pem",
      "PEM headers are not allowed in a certificate request",
    ],
    [
      "a body that is not base64",
      pem.replace(/\n[A-Za-z0-9]/, "\n%"),
      "not-base64",
      "PEM body is not valid base64",
    ],
    [
      "an empty body",
      "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n",
      "malformed-der",
      "PEM body is empty",
    ],
    [
      "over 1 MiB",
      `${pem}${" ".repeat(MAX_INPUT_BYTES)}`,
      "input-too-large",
      `PEM text over ${MAX_INPUT_BYTES} bytes`,
    ],
  ])("%s is refused", (_name, text, code, message) => {
    expect(pemToDer(text)).toEqual({ ok: false, error: { code, message } });
  });

  it("text around the one block is ignored, and exactly 1 MiB is read", () => {
    const padded = `before\n${pem}after`;
    const full = padded + " ".repeat(MAX_INPUT_BYTES - padded.length);
    expect(full.length).toBe(MAX_INPUT_BYTES);
    const read = pemToDer(full);
    expect(read.ok && bytesEqual(read.der, der)).toBe(true);
  });

  it("the END line must follow the BEGIN line", () => {
    const text = "-----END CERTIFICATE REQUEST-----\n-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n";
    expect(pemToDer(text)).toEqual({
      ok: false,
      error: { code: "not-pem", message: "no -----END CERTIFICATE REQUEST----- line" },
    });
  });

  it.each([1, 47, 48, 49, 96])("canonical PEM of %i bytes: 64-character lines", (n) => {
    const out = derToPem(new Uint8Array(n).fill(0xab));
    const lines = out.split("\n");
    const body = lines.slice(1, -2);
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE REQUEST-----");
    expect(lines.at(-2)).toBe("-----END CERTIFICATE REQUEST-----");
    expect(lines.at(-1)).toBe("");
    expect(body.join("")).toBe(Buffer.from(new Uint8Array(n).fill(0xab)).toString("base64"));
    expect(body.every((l) => l.length > 0 && l.length <= 64)).toBe(true);
    expect(body.slice(0, -1).every((l) => l.length === 64)).toBe(true);
  });

  it("a canonical text is its own canonical PEM, with the DER of its body", () => {
    expect(pem).toBe(derToPem(der));
    const read = pemToDer(pem);
    expect(read.ok && read.canonicalPem).toBe(pem);
    expect(read.ok && bytesEqual(read.der, der)).toBe(true);
  });

  it.each<[string, (text: string) => string]>([
    ["CRLF line ends", (text) => text.replaceAll("\n", "\r\n")],
    ["no final newline", (text) => text.slice(0, -1)],
    ["a blank line after it", (text) => `${text}\n`],
    ["text before it", (text) => `note\n${text}`],
    [
      "76-character lines",
      () =>
        `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(der)
          .toString("base64")
          .replace(/.{76}/g, "$&\n")}\n-----END CERTIFICATE REQUEST-----\n`,
    ],
    ["a space at the start of the body", (text) => text.replace("-----\n", "-----\n ")],
  ])(
    "a text with %s is read by the walk, with the same DER and no canonical PEM",
    (_name, shape) => {
      const text = shape(pem);
      expect(text).not.toBe(pem);
      const read = pemToDer(text);
      expect(read.ok && read.canonicalPem).toBeUndefined();
      expect(read.ok && bytesEqual(read.der, der)).toBe(true);
    },
  );

  it("the canonical form of an empty body is still an empty body", () => {
    const text = derToPem(new Uint8Array(0));
    expect(text).toBe("-----BEGIN CERTIFICATE REQUEST-----\n\n-----END CERTIFICATE REQUEST-----\n");
    expect(pemToDer(text)).toEqual({
      ok: false,
      error: { code: "malformed-der", message: "PEM body is empty" },
    });
  });

  it("base64url characters in an otherwise canonical text are refused (Buffer alone would read them)", () => {
    const at = pem.search(/[+/]/);
    expect(at).toBeGreaterThan(0);
    const text = `${pem.slice(0, at)}${pem[at] === "+" ? "-" : "_"}${pem.slice(at + 1)}`;
    expect(bytesEqual(Buffer.from(text.slice(36, -34), "base64"), der)).toBe(true);
    expect(pemToDer(text)).toEqual({
      ok: false,
      error: { code: "not-base64", message: "PEM body is not valid base64" },
    });
  });
});

describe("strict base64", () => {
  it.each<[string, number[] | undefined]>([
    ["YWJj", [0x61, 0x62, 0x63]],
    ["YW Jj\n\t", [0x61, 0x62, 0x63]],
    ["YWI=", [0x61, 0x62]],
    ["YWJ", undefined],
    ["YW=j", undefined],
    ["YW*j", undefined],
    ["", []],
  ])("%j", (text, want) => {
    const got = decodeBase64Strict(text);
    expect(got === undefined ? undefined : [...got]).toEqual(want);
  });

  it.each<[string, number, number, number[] | undefined]>([
    ["at the start of the text", 0, 4, [0x61, 0x62, 0x63]],
    ["at the end of the text", 6, 10, [0x64, 0x65, 0x66]],
    ["in the middle, not base64", 4, 6, undefined],
  ])("a range %s decodes that range only", (_name, start, end, want) => {
    const got = decodeBase64Strict("YWJj!!ZGVm", start, end);
    expect(got === undefined ? undefined : [...got]).toEqual(want);
  });
});

describe("YAML and JSON input", () => {
  const object = makeCsrObject({ subject: { CN: "in" } });

  it.each<[string, string, string, string]>([
    ["a scalar", "42", "not-a-csr-object", "input is neither a PEM nor a YAML/JSON object"],
    [
      "a list at the top",
      "[1, 2]",
      "not-a-csr-object",
      "input is neither a PEM nor a YAML/JSON object",
    ],
    [
      "a List whose items is not a list",
      "kind: List\nitems: 3\n",
      "not-a-csr-object",
      "List has no items array",
    ],
    [
      "only empty documents",
      "---\n---\n",
      "not-a-csr-object",
      "input holds no CertificateSigningRequest",
    ],
    [
      "a List with no items",
      "kind: List\nitems: null\n",
      "not-a-csr-object",
      "input holds no CertificateSigningRequest",
    ],
    [
      "a List with items missing",
      "kind: CertificateSigningRequestList\n",
      "not-a-csr-object",
      "input holds no CertificateSigningRequest",
    ],
  ])("%s is refused", (_name, text, code, message) => {
    expect(parseCsrInput(text)).toEqual({ ok: false, error: { code, message } });
  });

  it("a syntax error names the parser's message", () => {
    const result = parseCsrInput("a: [1, 2\n");
    expect(result.ok ? "" : result.error.code).toBe("not-yaml-or-json");
    expect(result.ok ? "" : result.error.message).toMatch(/^not YAML or JSON: \S/);
  });

  it("a duplicate key is refused in one line, without the parser's source excerpt", () => {
    expect(parseCsrInput("a: 1\na: 2\n")).toEqual({
      ok: false,
      error: { code: "not-yaml-or-json", message: "not YAML or JSON: Map keys must be unique" },
    });
  });

  it("aliases are capped per document well below the parser's default of 100", () => {
    const withAliases = (n: number): string =>
      `a: &x [1]\nb: [${Array.from({ length: n }, () => "*x").join(", ")}]\n`;
    expect(parseCsrInput(withAliases(40)).ok).toBe(true);
    expect(parseCsrInput(withAliases(60))).toEqual({
      ok: false,
      error: {
        code: "not-yaml-or-json",
        message: "not YAML or JSON: Excessive alias count indicates a resource exhaustion attack",
      },
    });
  });

  it("an alias bomb fails while converting, with the parser's message", () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    const result = parseCsrInput(bomb);
    expect(result.ok ? "" : result.error.message).toMatch(/^not YAML or JSON: .*alias/i);
  });

  it("YAML 1.2 core schema: a timestamp stays a string, so does yes", () => {
    const result = parseCsrInput("a: 2026-01-01T00:00:00Z\nb: yes\n");
    expect(result).toEqual({
      ok: true,
      items: [{ kind: "object", value: { a: "2026-01-01T00:00:00Z", b: "yes" } }],
    });
  });

  it("input over 1 MiB (in UTF-8 bytes) is refused, exactly 1 MiB is read", () => {
    const json = JSON.stringify(object);
    const over = json + " ".repeat(MAX_INPUT_BYTES - Buffer.byteLength(json) + 1);
    expect(parseCsrInput(over)).toEqual({
      ok: false,
      error: { code: "input-too-large", message: `input is over ${MAX_INPUT_BYTES} bytes` },
    });
    expect(parseCsrInput(over.slice(0, -1)).ok).toBe(true);
    const multiByte = "é".repeat(MAX_INPUT_BYTES / 2) + "x";
    expect(parseCsrInput(multiByte).ok ? "ok" : "refused").toBe("refused");
  });

  it("a List's null entries and documents are skipped, objects kept in order", () => {
    const second = makeCsrObject({ subject: { CN: "two" } });
    const text = `${JSON.stringify({ kind: "List", items: [object] })}\n---\n\n---\n${JSON.stringify(second)}\n`;
    const result = parseCsrInput(text);
    expect(result.ok && result.items.map((i) => i.kind)).toEqual(["object", "object"]);
    expect(result.ok && result.items[1]).toEqual({ kind: "object", value: second });
  });
});

describe("the Kubernetes object's request", () => {
  const object = makeCsrObject({ subject: { CN: "obj" } }) as { spec: Record<string, unknown> };

  it("spec.request over 1 MiB is refused before base64", () => {
    const big = { ...object, spec: { ...object.spec, request: "A".repeat(MAX_INPUT_BYTES + 4) } };
    const result = decodeCsrObject(big);
    expect(result.ok ? "ok" : result.error).toEqual({
      code: "input-too-large",
      message: "spec.request is over 1 MiB",
    });
  });

  it("spec.request of exactly 1 MiB is read (the cap is on what is over it)", () => {
    const request = String(object.spec.request);
    const padded = request + "\n".repeat(MAX_INPUT_BYTES - request.length);
    expect(padded.length).toBe(MAX_INPUT_BYTES);
    const result = decodeCsrObject({ ...object, spec: { ...object.spec, request: padded } });
    expect(result.ok ? result.csr.request.subject.commonName : result.error).toBe("obj");
  });

  it("spec.request that is not base64 is refused and the object kept", () => {
    const bad = { ...object, spec: { ...object.spec, request: "***" } };
    const result = decodeCsrObject(bad);
    expect(result.ok ? "ok" : result.error).toEqual({
      code: "not-base64",
      message: "spec.request is not valid base64",
    });
    expect(result.ok ? undefined : result.object?.signerName).toBe(
      "kubernetes.io/kube-apiserver-client",
    );
  });

  it("a PEM error inside spec.request is prefixed with the field", () => {
    const bad = {
      ...object,
      spec: { ...object.spec, request: Buffer.from("hello").toString("base64") },
    };
    const result = decodeCsrObject(bad);
    expect(result.ok ? "ok" : result.error).toEqual({
      code: "not-pem",
      message: "spec.request: no -----BEGIN line: not a PEM block",
    });
  });

  it("a bare PEM decodes without an object", () => {
    const result = decodeCsrPem(toPem(makeCsrDer({ subject: { CN: "bare" } })));
    expect(result.ok && result.csr.object).toBeUndefined();
    expect(result.ok && result.csr.request.subject.commonName).toBe("bare");
  });
});

describe("IP address text", () => {
  const v6 = (...groups: number[]): Uint8Array =>
    Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));

  it.each<[Uint8Array, string]>([
    [bytes(10, 0, 0, 1), "10.0.0.1"],
    [v6(0, 0, 0, 0, 0, 0, 0, 0), "::"],
    [v6(0, 0, 0, 0, 0, 0, 0, 1), "::1"],
    [v6(1, 0, 0, 0, 0, 0, 0, 0), "1::"],
    [v6(0xfd00, 0, 0, 0, 0, 0, 0, 1), "fd00::1"],
    [v6(1, 0, 1, 0, 0, 1, 0, 0), "1:0:1::1:0:0"],
    [v6(1, 0, 0, 1, 0, 0, 1, 1), "1::1:0:0:1:1"],
    [v6(1, 2, 3, 4, 5, 6, 7, 0), "1:2:3:4:5:6:7:0"],
    [v6(1, 0, 3, 4, 5, 6, 7, 8), "1:0:3:4:5:6:7:8"],
    [v6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001), "::ffff:10.0.0.1"],
    [v6(0, 0, 0, 0, 1, 0xffff, 0x0a00, 0x0001), "::1:ffff:a00:1"],
    [v6(0, 0, 0, 0, 0, 0xfffe, 0x0a00, 0x0001), "::fffe:a00:1"],
    [v6(0xabcd, 0, 0, 0, 0, 0, 0, 0xef01), "abcd::ef01"],
  ])("%j -> %s", (input, text) => {
    expect(formatIp(input)?.value).toBe(text);
  });

  it("other lengths are not addresses", () => {
    expect(formatIp(bytes(1, 2, 3))).toBeUndefined();
    expect(formatIp(new Uint8Array(15))).toBeUndefined();
    expect(formatIp(bytes(1, 2, 3, 4))?.version).toBe(4);
    expect(formatIp(new Uint8Array(16))?.version).toBe(6);
  });
});

describe("the Kubernetes object's fields", () => {
  const object = makeCsrObject({ subject: { CN: "obj" } }) as Record<string, unknown> & {
    spec: Record<string, unknown>;
  };
  const error = (value: unknown): unknown => {
    const result = decodeCsrObject(value);
    return result.ok ? "ok" : result.error;
  };

  it.each<[string, unknown, string, string]>([
    ["a list", [object], "not-a-csr-object", "input is not an object"],
    [
      "another kind",
      { ...object, kind: "Pod" },
      "not-a-csr-object",
      'kind is "Pod", expected "CertificateSigningRequest"',
    ],
    [
      "another API group",
      { ...object, apiVersion: "v1" },
      "not-a-csr-object",
      'apiVersion is "v1", expected certificates.k8s.io/v1',
    ],
    [
      "an apiVersion that is not text",
      { ...object, apiVersion: 1 },
      "not-a-csr-object",
      "apiVersion is 1, expected certificates.k8s.io/v1",
    ],
    [
      "a usage that is not text",
      { ...object, spec: { ...object.spec, usages: ["client auth", 7] } },
      "invalid-object-field",
      "spec.usages[1]: Invalid input: expected string, received number",
    ],
    [
      "no metadata",
      { ...object, metadata: undefined },
      "invalid-object-field",
      "metadata: Invalid input: expected object, received undefined",
    ],
    [
      "spec.extra holding a number",
      { ...object, spec: { ...object.spec, extra: { team: [1] } } },
      "invalid-object-field",
      "spec.extra.team[0]: Invalid input: expected string, received number",
    ],
  ])("%s is refused with the field named", (_name, value, code, message) => {
    expect(error(value)).toEqual({ code, message });
  });

  it("gives every field the object leaves out its default", () => {
    const spec = object.spec;
    const minimal = {
      metadata: { name: "bare" },
      spec: { request: spec.request, signerName: spec.signerName },
    };
    const result = decodeCsrObject(minimal);
    expect(result.ok && result.csr.object).toEqual({
      name: "bare",
      uid: "",
      resourceVersion: "",
      creationTimestamp: "",
      signerName: spec.signerName,
      usages: [],
      expirationSeconds: undefined,
      requester: { username: "", uid: "", groups: [], extra: {} },
      phase: "Pending",
      conditions: [],
    });
  });

  it('reads a condition without a status as status "" and keeps what it has', () => {
    const result = decodeCsrObject({
      ...object,
      status: { conditions: [{ type: "Approved", reason: "r" }], certificate: "Y2VydA==" },
    });
    expect(result.ok && result.csr.object?.conditions).toEqual([
      { type: "Approved", status: "", reason: "r" },
    ]);
    expect(result.ok && result.csr.object?.phase).toBe("Issued");
  });

  it.each([
    ["a number", "[1]"],
    ["a list mixing text and a number", '["x", 1]'],
    ["a bare string", '"x"'],
  ])(
    "a __proto__ key in spec.extra holding %s is refused (zod's record skips that key)",
    (_name, json) => {
      const value: unknown = JSON.parse(
        JSON.stringify(object).replace(
          '"spec":{',
          `"spec":{"extra":{"team":["a"],"__proto__":${json}},`,
        ),
      );
      expect(error(value)).toEqual({
        code: "invalid-object-field",
        message: "spec.extra: expected a map of string lists",
      });
    },
  );

  it("a client-node Date becomes kubectl's text, milliseconds kept when present", () => {
    const when = (iso: string) =>
      decodeCsrObject({
        ...object,
        metadata: { name: "x", creationTimestamp: new Date(iso) },
        status: {
          conditions: [
            {
              type: "Approved",
              status: "True",
              lastUpdateTime: new Date(iso),
              message: "m",
              reason: "r",
            },
          ],
        },
      });
    const whole = when("2026-01-02T03:04:05Z");
    expect(whole.ok && whole.csr.object?.creationTimestamp).toBe("2026-01-02T03:04:05Z");
    expect(whole.ok && whole.csr.object?.conditions).toEqual([
      {
        type: "Approved",
        status: "True",
        reason: "r",
        message: "m",
        lastUpdateTime: "2026-01-02T03:04:05Z",
      },
    ]);
    const fraction = when("2026-01-02T03:04:05.120Z");
    expect(fraction.ok && fraction.csr.object?.creationTimestamp).toBe("2026-01-02T03:04:05.120Z");
  });
});
