import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { decodeCsrObject, decodeCsrPem, decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import type { DecodeErrorCode } from "../../../src/core/csr/types.ts";
import { readRequestLayout } from "../../../src/core/csr/request-layout.ts";
import { DEFAULT_POLICY, evaluate, REASON_CODES } from "../../../src/core/policy/index.ts";
import { makeCsrDer, makeCsrObject, toPem, type CsrKeyType } from "../../support/make-csr.ts";
import { hostileCsr } from "../policy/hostile-names.ts";

/**
 * Seeded fuzzing: random and mutated inputs must each come back as a result (ok, or a typed
 * error with a known code) and never throw. The fixed seed makes any failure reproducible.
 */
const SEED = 20251128;

const CODES = new Set<DecodeErrorCode>([
  "input-too-large",
  "not-yaml-or-json",
  "not-a-csr-object",
  "invalid-object-field",
  "not-base64",
  "not-pem",
  "wrong-pem-type",
  "multiple-pem-blocks",
  "malformed-der",
  "trailing-data",
  "unsupported-key-algorithm",
  "unsupported-signature-algorithm",
  "invalid-public-key",
  "malformed-extension",
]);

const keys: CsrKeyType[] = ["p256", "p384", "ed25519", "rsa2048"];
const seedsDer = keys.map((key) =>
  makeCsrDer({
    key,
    subject: { C: "DE", O: ["system:nodes"], CN: "system:node:worker-1" },
    dns: ["worker-1"],
    ips: ["10.0.0.1", "fd00::1"],
    emails: ["a@example.com"],
    uris: ["spiffe://x/y"],
  }),
);
const seedsText = [
  ...seedsDer.map((der) => toPem(der)),
  ...seedsDer.map((der, i) =>
    stringify(makeCsrObject({ key: keys[i] ?? "p256", subject: { CN: `n${i}` } })),
  ),
  JSON.stringify({ kind: "List", items: [makeCsrObject({ subject: { CN: "j" } })] }),
];

/** Decodes text the way the CLI and controller do; returns the outcome codes. */
function decodeText(text: string): string[] {
  const input = parseCsrInput(text);
  if (!input.ok) return [input.error.code];
  return input.items.map((item) => {
    const result = item.kind === "pem" ? decodeCsrPem(item.pem) : decodeCsrObject(item.value);
    return result.ok ? "ok" : result.error.code;
  });
}

function decodeBytes(der: Uint8Array): string[] {
  const result = decodeRequestDer(der);
  return [result.ok ? "ok" : result.error.code, ...decodeText(toPem(der)).map((c) => `pem:${c}`)];
}

function allKnown(outcomes: string[]): boolean {
  return outcomes.every((o) => {
    const code = o.replace(/^pem:/, "");
    return code === "ok" || CODES.has(code as DecodeErrorCode);
  });
}

/** A byte mutation: flip bits, truncate, insert, overwrite or splice another request in. */
const byteMutation = fc.oneof(
  fc.record({
    op: fc.constant("flip" as const),
    at: fc.nat(),
    bit: fc.nat(7),
    times: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    op: fc.constant("overwrite" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    op: fc.constant("splice" as const),
    at: fc.nat(),
    other: fc.nat(seedsDer.length - 1),
  }),
);
type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateBytes(source: Uint8Array, m: ByteMutation): Uint8Array {
  const bytes = Uint8Array.from(source);
  const at = bytes.length === 0 ? 0 : m.at % bytes.length;
  switch (m.op) {
    case "flip":
      for (let i = 0; i < m.times; i++) {
        const pos = (at + i * 37) % Math.max(bytes.length, 1);
        bytes[pos] = (bytes[pos] ?? 0) ^ (1 << ((m.bit + i) % 8));
      }
      return bytes;
    case "truncate":
      return bytes.subarray(0, at);
    case "insert":
      return Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    case "overwrite":
      bytes.set(m.bytes.subarray(0, bytes.length - at), at);
      return bytes;
    case "splice":
      return Uint8Array.from([
        ...bytes.subarray(0, at),
        ...(seedsDer[m.other] ?? []),
        ...bytes.subarray(at),
      ]);
  }
}

const textMutation = fc.oneof(
  fc.record({
    op: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.string({ maxLength: 20 }),
  }),
  fc.record({
    op: fc.constant("char" as const),
    at: fc.nat(),
    char: fc.constantFrom(":", "-", "\n", " ", "'", "&", "*", "{", "[", "#", "=", "A", "\t"),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    op: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({ op: fc.constant("splice" as const), at: fc.nat(), other: fc.nat() }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateText(source: string, m: TextMutation): string {
  const at = source.length === 0 ? 0 : m.at % source.length;
  switch (m.op) {
    case "delete":
      return source.slice(0, at) + source.slice(at + m.length);
    case "insert":
      return source.slice(0, at) + m.text + source.slice(at);
    case "char":
      return source.slice(0, at) + m.char + source.slice(at + 1);
    case "truncate":
      return source.slice(0, at);
    case "duplicate":
      return source.slice(0, at) + source.slice(at, at + m.length) + source.slice(at);
    case "splice":
      return source.slice(0, at) + (seedsText[m.other % seedsText.length] ?? "") + source.slice(at);
  }
}

const RUNS = { bytes: 3500, text: 3500, random: 1500, yaml: 1500, names: 600, subjectBytes: 1500 };

describe("seeded fuzz: every input returns a typed result, nothing throws", () => {
  it(`${RUNS.bytes} mutated request DERs (also wrapped as PEM)`, () => {
    fc.assert(
      fc.property(
        fc.nat(seedsDer.length - 1),
        fc.array(byteMutation, { minLength: 1, maxLength: 3 }),
        (i, ms) => {
          const der = ms.reduce(mutateBytes, seedsDer[i] ?? new Uint8Array());
          return allKnown(decodeBytes(der));
        },
      ),
      { seed: SEED, numRuns: RUNS.bytes },
    );
  });

  it(`${RUNS.text} mutated PEM, YAML and JSON texts`, () => {
    fc.assert(
      fc.property(
        fc.nat(seedsText.length - 1),
        fc.array(textMutation, { minLength: 1, maxLength: 4 }),
        (i, ms) => {
          const text = ms.reduce(mutateText, seedsText[i] ?? "");
          return allKnown(decodeText(text));
        },
      ),
      { seed: SEED + 1, numRuns: RUNS.text },
    );
  });

  it(`${RUNS.random} random byte strings and texts`, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.string({ unit: "binary", maxLength: 300 }),
        (bytes, text) => {
          const prefixed = Uint8Array.from([
            0x30,
            0x82,
            bytes.length >> 8,
            bytes.length & 0xff,
            ...bytes,
          ]);
          return allKnown([...decodeBytes(bytes), ...decodeBytes(prefixed), ...decodeText(text)]);
        },
      ),
      { seed: SEED + 2, numRuns: RUNS.random },
    );
  });

  it(`${RUNS.yaml} random YAML/JSON values, alone and as CSR-shaped objects`, () => {
    const shaped = fc.record({
      apiVersion: fc.oneof(fc.constant("certificates.k8s.io/v1"), fc.jsonValue()),
      kind: fc.oneof(fc.constant("CertificateSigningRequest"), fc.constant("List"), fc.jsonValue()),
      metadata: fc.oneof(fc.record({ name: fc.string(), uid: fc.string() }), fc.jsonValue()),
      spec: fc.oneof(
        fc.record({
          request: fc.oneof(
            fc.base64String(),
            fc.constant(Buffer.from(toPem(seedsDer[0] ?? new Uint8Array())).toString("base64")),
          ),
          signerName: fc.string(),
          usages: fc.array(fc.oneof(fc.string(), fc.integer())),
          expirationSeconds: fc.oneof(fc.integer(), fc.double()),
        }),
        fc.jsonValue(),
      ),
      items: fc.array(fc.jsonValue(), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), fc.boolean(), (value, asJson) => {
        const text = asJson ? JSON.stringify(value) : stringify(value);
        return allKnown([
          ...decodeText(text),
          decodeCsrObject(value).ok ? "ok" : "not-a-csr-object",
        ]);
      }),
      { seed: SEED + 3, numRuns: RUNS.yaml },
    );
  });

  it(`${RUNS.names} signed requests with hostile subject strings and SAN values get a verdict`, () => {
    const known = new Set<string>(REASON_CODES);
    fc.assert(
      fc.property(hostileCsr, (csr) => {
        const decoded = decodeCsrObject(makeCsrObject(csr));
        if (!decoded.ok && !CODES.has(decoded.error.code)) return false;
        const verdict = evaluate(DEFAULT_POLICY, decoded);
        return (
          verdict.reasons.every((r) => known.has(r.code)) &&
          (verdict.decision === "allow") === (verdict.reasons.length === 0) &&
          verdict.reasons.every((r) => r.code !== "evaluation-failed")
        );
      }),
      { seed: SEED + 4, numRuns: RUNS.names },
    );
  });

  it(`${RUNS.subjectBytes} requests with bytes of a subject string overwritten (NUL, DEL, non-ASCII, surrogate halves)`, () => {
    const hostileBytes = fc.constantFrom(
      0x00,
      0x01,
      0x7f,
      0x80,
      0xc0,
      0xd8,
      0xdc,
      0xfe,
      0xff,
      0x2a,
    );
    fc.assert(
      fc.property(fc.nat(seedsDer.length - 1), fc.nat(), hostileBytes, (i, at, byte) => {
        const der = Uint8Array.from(seedsDer[i] ?? []);
        const layout = readRequestLayout(der);
        if (!layout.ok) return false;
        const subject = layout.layout.subject;
        // Overwrite one content byte of the subject, past its outer header.
        der[subject.byteOffset + 2 + (at % (subject.length - 2))] = byte;
        return allKnown(decodeBytes(der));
      }),
      { seed: SEED + 5, numRuns: RUNS.subjectBytes },
    );
  });

  it("runs at least 10,000 inputs in total", () => {
    expect(RUNS.bytes + RUNS.text + RUNS.random + RUNS.yaml).toBeGreaterThanOrEqual(10_000);
  });
});
