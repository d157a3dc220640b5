import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { configJsonSchema } from "../../../src/core/config/config-json-schema.ts";
import { recordJsonSchema } from "../../../src/core/record/record-json-schema.ts";
import { decodeCsrObject, decodeCsrPem } from "../../../src/core/csr/decode.ts";
import {
  buildRecord,
  parseRecord,
  pendingDeadline,
  renderRecord,
} from "../../../src/core/record/record.ts";
import { formatYamlError } from "../../../src/core/yaml/load-yaml.ts";
import { makeCsrObject, kubeletServing } from "../../support/make-csr.ts";
import { fixedKeyPair } from "../../support/fixed-keys.ts";
import {
  BASE_COMMIT,
  RECORDED_AT,
  recordFor,
  servingRecord,
  UID,
  userRecord,
} from "./record-fixtures.ts";

describe("the audit record", () => {
  it("holds the CSR's identity, requester, request digest and verdict", () => {
    const record = servingRecord();
    expect(record).toMatchObject({
      apiVersion: "csr-gitops/record-v1",
      kind: "CsrRecord",
      cluster: "prod-eu",
      recordedAt: "2026-11-29T16:20:00.000Z",
      csr: {
        name: "csr-8k2lq",
        uid: UID,
        creationTimestamp: "2026-11-29T16:19:58Z",
        deadline: "2026-11-30T16:19:58Z",
        signerName: "kubernetes.io/kubelet-serving",
        usages: ["digital signature", "server auth"],
        expirationSeconds: null,
        requester: { username: "system:node:worker-1" },
      },
      request: {
        decoded: {
          subject: { commonName: "system:node:worker-1", organizations: ["system:nodes"] },
          subjectAltNames: [
            { type: "DNS", value: "worker-1" },
            { type: "IP", value: "10.0.0.5" },
          ],
          publicKey: { algorithm: "RSA", bits: 2048 },
          signatureValid: true,
        },
        decodeError: null,
      },
      verdict: { decision: "allow", reasons: [], signerRule: "kubernetes.io/kubelet-serving" },
      policy: { source: "builtin", blobSha: null, baseCommit: BASE_COMMIT },
      supersedes: [],
    });
    expect(record.request.sha256).toBe(
      createHash("sha256")
        .update(Buffer.from(record.request.pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64"))
        .digest("hex"),
    );
    expect(record.request.pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
  });

  it("renders to YAML and parses back to the same record, byte for byte", () => {
    for (const record of [servingRecord(), userRecord()]) {
      const text = renderRecord(record);
      const parsed = parseRecord(text);
      expect(parsed).toEqual({ ok: true, record });
      if (parsed.ok) expect(renderRecord(parsed.record)).toBe(text);
    }
  });

  it("writes the PEM as a literal block, so the file reads like the request", () => {
    const text = renderRecord(servingRecord());
    expect(text).toMatch(/\n {2}pem: \|\n {4}-----BEGIN CERTIFICATE REQUEST-----\n/);
  });

  it("keeps hostile requester data verbatim as data (a __proto__ extra key, newlines, YAML syntax)", () => {
    const extra = {
      ["__proto__"]: ["polluted"],
      "x\nverdict: allow": ["- decision: allow\n---\n"],
      "&anchor": ["*alias", "!!js/function"],
    };
    const object = makeCsrObject({
      ...kubeletServing("worker-1"),
      keyPair: fixedKeyPair("rsa2048"),
      key: "rsa2048",
      uid: UID,
      extra,
    });
    const record = recordFor({}, { object });
    expect(Object.keys(record.csr.requester.extra)).toEqual(Object.keys(extra));
    const parsed = parseRecord(renderRecord(record));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(parsed.record.csr.requester.extra)).toEqual(Object.keys(extra));
    expect(
      Object.getOwnPropertyDescriptor(parsed.record.csr.requester.extra, "__proto__")?.value,
    ).toEqual(["polluted"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.record.verdict.decision).toBe(record.verdict.decision);
  });

  it("records an undecodable request with the decoder's error and the digest of spec.request", () => {
    const object = makeCsrObject({ ...kubeletServing("worker-1"), uid: UID });
    const spec = object.spec as Record<string, unknown>;
    spec.request = Buffer.from(
      "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    ).toString("base64");
    const record = recordFor({}, { object });
    expect(record.request.decoded).toBeNull();
    expect(record.request.decodeError).toEqual({
      code: "malformed-der",
      message: "spec.request: not a DER CertificationRequest: does not start with a SEQUENCE",
    });
    // The digest is of the bytes the object holds (the PEM text), not of a re-encoding.
    expect(record.request.sha256).toBe(
      createHash("sha256")
        .update("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")
        .digest("hex"),
    );
    expect(record.verdict).toMatchObject({ decision: "deny", reasons: [{ code: "undecodable" }] });
    expect(record.request.pem).toContain("AAAA");
    expect(parseRecord(renderRecord(record))).toEqual({ ok: true, record });
  });

  it("refuses to record a bare PEM (no Kubernetes object)", () => {
    const decoded = decodeCsrPem("not a pem");
    const result = buildRecord({
      cluster: "prod-eu",
      recordedAt: RECORDED_AT,
      decoded,
      specRequest: "",
      verdict: {
        decision: "deny",
        reasons: [],
        notes: [],
        requiredApprovals: 2,
        signerRule: undefined,
      },
      policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: BASE_COMMIT },
      supersedes: [],
    });
    expect(result).toMatchObject({ ok: false, message: /Kubernetes object/ });
  });

  it.each([
    ["an unknown top-level key", (t: string) => `${t}approvedBy: mallory\n`, "approvedBy"],
    [
      "a changed decision",
      (t: string) => t.replace("decision: allow", "decision: yes"),
      "verdict.decision",
    ],
    [
      "a short digest",
      (t: string) => t.replace(/sha256: [0-9a-f]{64}/, "sha256: abc"),
      "request.sha256",
    ],
    ["a newer format", (t: string) => t.replace("record-v1", "record-v2"), "apiVersion"],
  ])("refuses %s, naming the field", (_name, edit, field) => {
    const parsed = parseRecord(edit(renderRecord(servingRecord())), "clusters/x/record.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({ file: "clusters/x/record.yaml", field });
    expect(parsed.errors[0]?.line).toBeGreaterThan(0);
  });

  it.each([
    ["cluster", /^cluster: prod-eu$/m, 'cluster: ""', "the cluster's name"],
    ["csr.name", /^ {2}name: csr-8k2lq$/m, '  name: ""', "the CSR's name"],
    ["csr.uid", /^ {2}uid: 5b0c1d2e-[0-9a-f-]+$/m, '  uid: ""', "the CSR's uid"],
    [
      "csr.requester.username",
      /^ {4}username: system:node:worker-1$/m,
      '    username: ""',
      "the requester's username",
    ],
  ])("refuses an empty %s: a record is found and matched by it", (field, line, empty, what) => {
    const text = renderRecord(servingRecord());
    expect(text).toMatch(line);
    const parsed = parseRecord(text.replace(line, empty), "clusters/x/record.yaml");
    const lineNumber = text.slice(0, text.search(line)).split("\n").length;
    expect(parsed.ok ? [] : parsed.errors.map((e) => [e.file, e.line, e.field, e.message])).toEqual(
      [["clusters/x/record.yaml", lineNumber, field, `expected ${what}, not an empty string`]],
    );
  });

  it("keeps an empty requester uid: client certificates and some tokens carry none", () => {
    const record = servingRecord();
    expect(record.csr.requester.uid).toBe("");
    expect(parseRecord(renderRecord(record))).toEqual({ ok: true, record });
  });

  it("refuses to build a record with an empty cluster name", () => {
    const object = makeCsrObject({ ...kubeletServing("worker-1"), uid: UID });
    const result = buildRecord({
      cluster: "",
      recordedAt: RECORDED_AT,
      decoded: decodeCsrObject(object),
      specRequest: (object.spec as { request: string }).request,
      verdict: {
        decision: "allow",
        reasons: [],
        notes: [],
        requiredApprovals: 2,
        signerRule: undefined,
      },
      policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: BASE_COMMIT },
      supersedes: [],
    });
    expect(result.ok ? "" : result.message).toContain(
      "expected the cluster's name, not an empty string",
    );
  });

  it.each([
    ["a code tag", "apiVersion: !!js/function x\n", "record.yaml:1:13: Unresolved tag"],
    ["a duplicate key", "a: 1\na: 2\n", "record.yaml:2:1: Map keys must be unique"],
    ["an empty file", "", "record.yaml:1:1: (root): expected object, received null"],
  ])("refuses %s: only plain data is a record", (_name, text, expected) => {
    const parsed = parseRecord(text);
    expect(parsed.ok ? [] : parsed.errors.map(formatYamlError)).toEqual([
      expect.stringContaining(expected),
    ]);
  });

  it("puts the deadline 24 hours after creation", () => {
    expect(pendingDeadline("2026-02-28T23:30:00Z")).toBe("2026-03-01T23:30:00Z");
    expect(pendingDeadline("not a time")).toBe("");
  });

  it("renders representative records to the committed snapshots", async () => {
    const doc = parseDocument(renderRecord(servingRecord()));
    expect(doc.errors).toEqual([]);
    await expect(renderRecord(servingRecord())).toMatchFileSnapshot(
      "__snapshots__/record-kubelet-serving.yaml",
    );
    await expect(renderRecord(userRecord())).toMatchFileSnapshot(
      "__snapshots__/record-user-client.yaml",
    );
  });
});

describe("docs/schemas/*.schema.json", () => {
  it("are generated from the current zod schemas (run scripts/write-audit-repo-schemas.ts)", () => {
    const read = (name: string): unknown =>
      JSON.parse(readFileSync(new URL(`../../../docs/schemas/${name}`, import.meta.url), "utf8"));
    expect(read("record.schema.json")).toEqual(recordJsonSchema());
    expect(read("config.schema.json")).toEqual(configJsonSchema());
  });

  it("accept the records the controller writes (checked by ajv)", () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(recordJsonSchema());
    for (const record of [servingRecord(), userRecord()]) {
      expect(validate(JSON.parse(JSON.stringify(record)))).toBe(true);
    }
    expect(validate({ ...servingRecord(), extra: 1 })).toBe(false);
  });
});
