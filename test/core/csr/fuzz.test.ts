import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { decodeCsrObject, decodeCsrPem, decodeRequestDer } from "../../../src/core/csr/decode.ts";
import { parseCsrInput } from "../../../src/core/csr/input.ts";
import { readRequestLayout } from "../../../src/core/csr/request-layout.ts";
import { DEFAULT_POLICY, evaluate, REASON_CODES } from "../../../src/core/policy/index.ts";
import {
  cloneTree,
  elements,
  encodeDerTree,
  parseDerTree,
  type DerNode,
} from "../../support/der-tree.ts";
import { makeCsrDer, makeCsrObject, toPem, type CsrKeyType } from "../../support/make-csr.ts";
import { hostileCsr } from "../policy/hostile-names.ts";

/**
 * Seeded fuzzing. Every input must come back as a result, never a throw, and a changed request
 * must never come back with a verifying signature: a request that verifies carries exactly the
 * signed bytes and the signature of one of the genuine seeds. Structure-aware mutations (one DER
 * element changed, lengths rewritten) reach the extension, key and signature decoding; the test
 * counts the runs it really made and the outcomes it reached. The fixed seed makes any failure
 * reproducible. FUZZ_SCALE (default 1) scales the run counts; the mutation-testing configuration
 * (vitest.mutation.config.ts) lowers it, as every mutant of src/core/csr runs this file.
 */
const SEED = 20251128;
const SCALE = Number(process.env.FUZZ_SCALE ?? "1");
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

const keys: CsrKeyType[] = ["p256", "p384", "ed25519", "rsa2048"];
const hex = (bytes: readonly number[]): ArrayBuffer => Uint8Array.from(bytes).buffer;
/** keyUsage, extKeyUsage and basicConstraints, so mutations reach their decoders too. */
const extraExtensions = [
  { oid: "2.5.29.15", critical: true, valueDer: hex([0x03, 0x02, 0x05, 0xa0]) },
  {
    oid: "2.5.29.37",
    valueDer: hex([0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]),
  },
  { oid: "2.5.29.19", critical: true, valueDer: hex([0x30, 0x03, 0x01, 0x01, 0xff]) },
];
const seedsDer = [
  ...keys.map((key) =>
    makeCsrDer({
      key,
      subject: { C: "DE", O: ["system:nodes"], CN: "system:node:worker-1" },
      dns: ["worker-1"],
      ips: ["10.0.0.1", "fd00::1"],
      emails: ["a@example.com"],
      uris: ["spiffe://x/y"],
      extraExtensions,
    }),
  ),
  makeCsrDer({ key: "rsa2048", rsaPss: true, subject: { CN: "pss" }, dns: ["pss.example"] }),
];
const seedTrees = seedsDer.map(parseDerTree);
/** The signed bytes (CertificationRequestInfo) and signature BIT STRING of each genuine seed. */
const genuine = seedTrees.map((tree) => signedParts(tree));

function signedParts(tree: DerNode): string {
  const [info, , signature] = tree.children ?? [];
  if (info === undefined || signature === undefined) return "";
  return `${Buffer.from(encodeDerTree(info)).toString("hex")}/${Buffer.from(encodeDerTree(signature)).toString("hex")}`;
}

/** Outcome counts of every decodeRequestDer call, to show how deep the fuzz reached. */
const reached = new Map<string, number>();
function count(outcome: string): void {
  reached.set(outcome, (reached.get(outcome) ?? 0) + 1);
}

/**
 * Decodes DER and checks the property that matters: if the signature verifies, the request's
 * signed bytes and signature are exactly a genuine seed's (no mutation forges a request).
 */
function decodeAndCheck(der: Uint8Array): string {
  const result = decodeRequestDer(der);
  if (!result.ok) {
    count(result.error.code);
    return result.error.code;
  }
  count(result.request.signatureValid ? "ok-verifies" : "ok-signature-invalid");
  if (result.request.signatureValid) {
    expect(genuine).toContain(signedParts(parseDerTree(der)));
  }
  return "ok";
}
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

/** Decodes DER directly and wrapped as PEM; both readings must agree. */
function decodeBytes(der: Uint8Array): void {
  const direct = decodeAndCheck(der);
  const viaPem = decodeText(toPem(der));
  expect(viaPem).toEqual([direct]);
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

/** One element of a seed changed: its tag, its bytes, its presence; lengths stay correct. */
const TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x30, 0x31, 0x80, 0x82, 0xa0];
/** OIDs the decoder knows (signature, key, hash, extension, attribute), as element contents. */
const KNOWN_OIDS = [
  "2a864886f70d01010b", // sha256WithRSAEncryption
  "2a864886f70d010105", // sha1WithRSAEncryption
  "2a864886f70d01010a", // RSASSA-PSS
  "2a864886f70d010101", // rsaEncryption
  "2a8648ce3d040302", // ecdsa-with-SHA256
  "2a8648ce3d040303", // ecdsa-with-SHA384
  "2a8648ce3d0201", // id-ecPublicKey
  "2a8648ce3d030107", // P-256
  "2b81040022", // P-384
  "2b6570", // Ed25519
  "2b6571", // Ed448
  "608648016503040201", // sha256
  "2a864886f70d010108", // MGF1
  "551d11", // subjectAltName
  "551d0f", // keyUsage
  "551d25", // extKeyUsage
  "551d13", // basicConstraints
  "2a864886f70d01090e", // extensionRequest
  "550403", // CN
  "55040a", // O
].map((h) => [...Buffer.from(h, "hex")]);

const elementMutation = fc.oneof(
  fc.record({ op: fc.constant("oid" as const), at: fc.nat(), oid: fc.constantFrom(...KNOWN_OIDS) }),
  fc.record({ op: fc.constant("tag" as const), at: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({
    op: fc.constant("byte" as const),
    at: fc.nat(),
    offset: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    op: fc.constant("content" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 12 }),
  }),
  fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
);
type ElementMutation = typeof elementMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateElement(tree: DerNode, m: ElementMutation): DerNode {
  const copy = cloneTree(tree);
  const all = elements(copy);
  const target = all[m.at % all.length];
  if (target === undefined) return copy;
  const { node, parent, index } = target;
  switch (m.op) {
    case "oid": {
      // The n-th OBJECT IDENTIFIER, replaced by one the decoder knows.
      const oids = all.filter((e) => e.node.tag === 0x06);
      const chosen = oids[m.at % Math.max(oids.length, 1)];
      if (chosen !== undefined) chosen.node.content = [...m.oid];
      return copy;
    }
    case "tag":
      node.tag = m.tag;
      return copy;
    case "byte": {
      const bytes = node.content ?? [];
      if (bytes.length === 0) node.content = [m.value];
      else bytes[m.offset % bytes.length] = m.value;
      return copy;
    }
    case "content":
      delete node.children;
      delete node.bitStringPrefix;
      node.content = [...m.bytes];
      return copy;
    case "drop":
      parent?.children?.splice(index, 1);
      return copy;
    case "duplicate":
      parent?.children?.splice(index, 0, cloneTree(node));
      return copy;
    case "swap": {
      const other = all[m.with % all.length];
      if (other === undefined || other.node === node) return copy;
      Object.assign(node, cloneTree(other.node));
      return copy;
    }
  }
}

const RUNS = {
  elements: runs(2000),
  bytes: runs(3000),
  text: runs(3000),
  random: runs(1000),
  yaml: runs(1000),
  names: runs(600),
  subjectBytes: runs(1500),
};
/** Runs each property really made, counted inside the property (reset by each test). */
const made = { elements: 0, bytes: 0, text: 0, random: 0, yaml: 0, names: 0, subjectBytes: 0 };

// Thousands of real decodes (key loads, signature checks) per test: minutes on a busy machine.
describe(
  "seeded fuzz: nothing throws, and no changed request verifies",
  { timeout: 180_000 },
  () => {
    it("the genuine seeds decode and verify", () => {
      reached.clear();
      for (const der of seedsDer) expect(decodeAndCheck(der)).toBe("ok");
      expect(reached.get("ok-verifies")).toBe(seedsDer.length);
    });

    it("the runs add up to at least 10,000 inputs", () => {
      expect(Object.values(RUNS).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
        Math.round(10_000 * SCALE),
      );
    });

    it(`${RUNS.elements} requests with one or two DER elements changed`, () => {
      reached.clear();
      made.elements = 0;
      fc.assert(
        fc.property(
          fc.nat(seedTrees.length - 1),
          fc.array(elementMutation, { minLength: 1, maxLength: 2 }),
          (i, ms) => {
            made.elements++;
            const tree = ms.reduce(mutateElement, seedTrees[i] ?? { tag: 0x30, children: [] });
            decodeAndCheck(encodeDerTree(tree));
          },
        ),
        { seed: SEED + 4, numRuns: RUNS.elements },
      );
      expect(made.elements).toBe(RUNS.elements);
      // How deep it reached: past the DER into keys, extensions and signature checks. (At a lower
      // FUZZ_SCALE there are too few runs to promise every outcome.)
      if (SCALE >= 1) {
        for (const outcome of [
          "ok-signature-invalid",
          "malformed-der",
          "malformed-extension",
          "invalid-public-key",
          "unsupported-signature-algorithm",
          "unsupported-key-algorithm",
        ]) {
          expect.soft(reached.get(outcome) ?? 0, outcome).toBeGreaterThan(20);
        }
      }
    });

    it(`${RUNS.bytes} mutated request DERs (also wrapped as PEM)`, () => {
      made.bytes = 0;
      fc.assert(
        fc.property(
          fc.nat(seedsDer.length - 1),
          fc.array(byteMutation, { minLength: 1, maxLength: 3 }),
          (i, ms) => {
            made.bytes++;
            decodeBytes(ms.reduce(mutateBytes, seedsDer[i] ?? new Uint8Array()));
          },
        ),
        { seed: SEED, numRuns: RUNS.bytes },
      );
      expect(made.bytes).toBe(RUNS.bytes);
    });

    it(`${RUNS.text} mutated PEM, YAML and JSON texts`, () => {
      made.text = 0;
      fc.assert(
        fc.property(
          fc.nat(seedsText.length - 1),
          fc.array(textMutation, { minLength: 1, maxLength: 4 }),
          (i, ms) => {
            made.text++;
            const outcomes = decodeText(ms.reduce(mutateText, seedsText[i] ?? ""));
            expect(outcomes.length).toBeGreaterThan(0);
          },
        ),
        { seed: SEED + 1, numRuns: RUNS.text },
      );
      expect(made.text).toBe(RUNS.text);
    });

    it(`${RUNS.random} random byte strings and texts`, () => {
      made.random = 0;
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 600 }),
          fc.string({ unit: "binary", maxLength: 300 }),
          (bytes, text) => {
            made.random++;
            const prefixed = Uint8Array.from([
              0x30,
              0x82,
              bytes.length >> 8,
              bytes.length & 0xff,
              ...bytes,
            ]);
            decodeBytes(bytes);
            decodeBytes(prefixed);
            expect(decodeText(text).length).toBeGreaterThan(0);
          },
        ),
        { seed: SEED + 2, numRuns: RUNS.random },
      );
      expect(made.random).toBe(RUNS.random);
    });

    it(`${RUNS.yaml} random YAML/JSON values, alone and as CSR-shaped objects`, () => {
      made.yaml = 0;
      const shaped = fc.record({
        apiVersion: fc.oneof(fc.constant("certificates.k8s.io/v1"), fc.jsonValue()),
        kind: fc.oneof(
          fc.constant("CertificateSigningRequest"),
          fc.constant("List"),
          fc.jsonValue(),
        ),
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
          made.yaml++;
          const text = asJson ? JSON.stringify(value) : stringify(value);
          expect(decodeText(text).length).toBeGreaterThan(0);
          const direct = decodeCsrObject(value);
          // A value that is not even an object with a spec never decodes.
          if (typeof value !== "object" || value === null) expect(direct.ok).toBe(false);
        }),
        { seed: SEED + 3, numRuns: RUNS.yaml },
      );
      expect(made.yaml).toBe(RUNS.yaml);
    });

    it(`${RUNS.names} signed requests with hostile subject strings and SAN values get a verdict`, () => {
      made.names = 0;
      const known = new Set<string>(REASON_CODES);
      fc.assert(
        fc.property(hostileCsr, (csr) => {
          made.names++;
          const verdict = evaluate(DEFAULT_POLICY, decodeCsrObject(makeCsrObject(csr)));
          expect(verdict.reasons.filter((r) => !known.has(r.code))).toEqual([]);
          expect(verdict.decision === "allow").toBe(verdict.reasons.length === 0);
          expect(verdict.reasons.filter((r) => r.code === "evaluation-failed")).toEqual([]);
        }),
        { seed: SEED + 5, numRuns: RUNS.names },
      );
      expect(made.names).toBe(RUNS.names);
    });

    it(`${RUNS.subjectBytes} requests with bytes of a subject string overwritten (NUL, DEL, non-ASCII, surrogate halves)`, () => {
      made.subjectBytes = 0;
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
          made.subjectBytes++;
          const der = Uint8Array.from(seedsDer[i] ?? []);
          const layout = readRequestLayout(der);
          if (!layout.ok) throw new Error("a seed does not lay out");
          const subject = layout.layout.subject;
          // Overwrite one content byte of the subject, past its outer header.
          der[subject.byteOffset + 2 + (at % (subject.length - 2))] = byte;
          decodeBytes(der);
        }),
        { seed: SEED + 6, numRuns: RUNS.subjectBytes },
      );
      expect(made.subjectBytes).toBe(RUNS.subjectBytes);
    });
  },
);
