/**
 * The first audit's parsing: records read as facts (record-facts.ts) accepted and rejected exactly
 * as the record format's own `parseRecord` does, and the worker threads (parse-pool.ts)
 * giving the same results as parsing on the main thread.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FORMATS, receiptFileFromTrailers } from "../../src/audit/formats.ts";
import type { AuditHistory, HistoryCommit } from "../../src/audit/history.ts";
import { parseInParallel, pendingParses, startParseAhead } from "../../src/audit/parse-pool.ts";
import { emptyCache } from "../../src/audit/record-cache.ts";
import { parseRecordFacts, toRecordFacts } from "../../src/audit/record-facts.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { gitBlobSha } from "../../src/core/record/git-blob-sha.ts";
import {
  renderReceiptMessage,
  renderReceiptYaml,
  type CertificateReceipt,
  type DecisionReceipt,
  type Receipt,
} from "../../src/core/record/receipt.ts";
import { buildRecord, parseRecord, renderRecord } from "../../src/core/record/record.ts";
import { kubeletServing, makeCsrObject } from "../support/make-csr.ts";

function recordText(name: string, uid: string): string {
  const object = makeCsrObject({ ...kubeletServing("worker-1"), name, uid });
  const decoded = decodeCsrObject(object);
  const built = buildRecord({
    cluster: "prod",
    recordedAt: new Date("2026-11-29T10:00:00Z"),
    decoded,
    specRequest: (object.spec as { request: string }).request,
    verdict: evaluate(DEFAULT_POLICY, decoded),
    policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: "a".repeat(40) },
    supersedes: [],
  });
  if (!built.ok) throw new Error(built.message);
  return renderRecord(built.record);
}

const valid = recordText("csr-1", "11111111-1111-4111-8111-111111111111");

/** Texts around the valid record: each edit is one a tamperer or a newer format could make. */
const variants: Record<string, string> = {
  valid,
  "unknown key": valid.replace("kind: CsrRecord\n", "kind: CsrRecord\nextra: 1\n"),
  "duplicate key": valid.replace("kind: CsrRecord\n", "kind: CsrRecord\nkind: CsrRecord\n"),
  "wrong type": valid.replace(/requiredApprovals: \d+/, "requiredApprovals: two"),
  "other apiVersion": valid.replace("record-v1", "record-v2"),
  "empty cluster": valid.replace("cluster: prod\n", 'cluster: ""\n'),
  "__proto__ in extra": valid.replace("extra: {}", 'extra:\n      "__proto__": [x]'),
  "an alias": valid.replace("kind: CsrRecord\n", "kind: &k CsrRecord\n"),
  "an unknown tag": valid.replace("kind: CsrRecord", "kind: !foo CsrRecord"),
  "bad YAML": valid.replace("kind: CsrRecord", "kind: [CsrRecord"),
  "not a mapping": "- 1\n- 2\n",
  empty: "",
  "too long": valid + `# ${"x".repeat(4 * 1024 * 1024)}\n`,
};

describe("records are read as the record format reads them", () => {
  it.each(Object.entries(variants))("%s: accepted or refused as parseRecord does", (_, text) => {
    const mine = parseRecordFacts(text);
    const theirs = parseRecord(text);
    expect(mine.ok).toBe(theirs.ok);
    if (mine.ok && theirs.ok) expect(mine.value).toEqual(toRecordFacts(theirs.record));
  });

  it("refuses what the record format refuses (the variants are not all accepted)", () => {
    const accepted = Object.entries(variants)
      .filter(([, text]) => parseRecordFacts(text).ok)
      .map(([name]) => name);
    expect(accepted).toEqual(["valid", "__proto__ in extra", "an alias"]);
  });
});

function receipt(uid: string, i: number): DecisionReceipt {
  return {
    kind: "DecisionReceipt",
    decision: "denied",
    cluster: "prod",
    csrName: `csr-${String(i)}`,
    csrUid: uid,
    requestSha256: "0".repeat(64),
    record: `clusters/prod/csr-${String(i)}_${uid}/record.yaml`,
    recordBlob: "b".repeat(40),
    pullRequest: i + 1,
    mergeCommit: null,
    mergedBy: null,
    approvedBy: [],
    requiredApprovals: 1,
    policyBlob: "builtin",
    closedBy: { login: "carol", id: 1003 },
    reason: "no",
    refused: [],
    decidedAt: "2026-11-29T10:00:00.000Z",
  };
}

/** A history of `n` records and their receipt files, every fifth record broken. */
function history(n: number): AuditHistory {
  const blobs = new Map<string, string>();
  const commits: HistoryCommit[] = [];
  const who = { name: "x", email: "x@y", date: "2026-11-29T10:00:00.000Z" };
  for (let i = 0; i < n; i++) {
    const uid = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const folder = `clusters/prod/csr-${String(i)}_${uid}`;
    const record = recordText(`csr-${String(i)}`, uid);
    const recordSha = i.toString(16).padStart(40, "a");
    // The receipt file's real blob SHA (what a worker compares the trailers' rendering with),
    // except for the broken ones, which would all share one.
    const receiptFile = i % 5 === 1 ? "kind: nothing\n" : renderReceiptYaml(receipt(uid, i));
    const receiptSha = i % 5 === 1 ? i.toString(16).padStart(40, "b") : gitBlobSha(receiptFile);
    blobs.set(recordSha, i % 5 === 0 ? record.replace("kind: CsrRecord", "kind: [") : record);
    blobs.set(receiptSha, receiptFile);
    commits.push({
      sha: i.toString(16).padStart(40, "c"),
      parents: [],
      author: who,
      committer: who,
      message: `receipt\n\n${renderReceiptMessage(receipt(uid, i))}`,
      changes: [
        { status: "A", path: `${folder}/record.yaml`, oldBlob: undefined, newBlob: recordSha },
        { status: "A", path: `${folder}/decision.yaml`, oldBlob: undefined, newBlob: receiptSha },
        { status: "A", path: "README.md", oldBlob: undefined, newBlob: "d".repeat(40) },
      ],
      signature: { kind: "unsigned" },
      firstParent: true,
    });
  }
  return { source: "test", ref: "main", head: undefined, commits, blobs };
}

describe("parsing on worker threads", () => {
  it("fills the cache with what the main thread's parsers give, for good and broken files", async () => {
    const h = history(30);
    const cache = emptyCache();
    await parseInParallel(h, cache, { threads: 2, minFiles: 1 });
    expect(cache.records.size).toBe(30);
    expect(cache.receipts.size).toBe(30);
    for (const job of pendingParses(h, emptyCache())) {
      const expected =
        job.kind === "record" ? FORMATS.parseRecord(job.text) : FORMATS.parseReceiptFile(job.text);
      const got = (job.kind === "record" ? cache.records : cache.receipts).get(job.sha);
      expect(got).toEqual(expected);
    }
    expect([...cache.records.values()].filter((p) => !p.ok)).toHaveLength(6);
    expect([...cache.receipts.values()].filter((p) => !p.ok)).toHaveLength(6);
  });

  it("starts on the records as soon as the blobs are read, and sends each file once", async () => {
    const h = history(30);
    const cache = emptyCache();
    const ahead = startParseAhead(cache, { threads: 2, minFiles: 10 });
    try {
      ahead.blobsRead(h.commits, h.blobs);
      expect(cache.records.size).toBe(0);
      await ahead.finish(h);
    } finally {
      ahead.close();
    }
    expect(cache.records.size).toBe(30);
    expect(cache.receipts.size).toBe(30);
    expect(pendingParses(h, cache)).toEqual([]);
    for (const job of pendingParses(h, emptyCache()))
      expect((job.kind === "record" ? cache.records : cache.receipts).get(job.sha)).toEqual(
        job.kind === "record" ? FORMATS.parseRecord(job.text) : FORMATS.parseReceiptFile(job.text),
      );
  });

  it("leaves a read with too few records to finish, which counts the receipt files too", async () => {
    const h = history(6);
    const cache = emptyCache();
    const ahead = startParseAhead(cache, { threads: 2, minFiles: 10 });
    try {
      ahead.blobsRead(h.commits, h.blobs);
      await ahead.finish(h);
    } finally {
      ahead.close();
    }
    expect(cache.records.size + cache.receipts.size).toBe(12);
  });

  it("sends a receipt file with the message of the commit that adds it", () => {
    const jobs = pendingParses(history(2), emptyCache());
    expect(jobs.map((j) => [j.kind, j.message?.startsWith("receipt\n") ?? false])).toEqual([
      ["record", false],
      ["receipt", true],
      ["record", false],
      ["receipt", true],
    ]);
  });

  it("sends only what the cache does not hold, and leaves small histories to the main thread", async () => {
    const h = history(6);
    const cache = emptyCache();
    const first = pendingParses(h, cache);
    expect(first).toHaveLength(12);
    await parseInParallel(h, cache, { threads: 2, minFiles: 100 });
    expect(cache.records.size).toBe(0);
    await parseInParallel(h, cache, { threads: 2, minFiles: 1 });
    expect(pendingParses(h, cache)).toEqual([]);
  });
});

const decision = receipt("11111111-1111-4111-8111-111111111111", 7);
const certificate: CertificateReceipt = {
  kind: "CertificateReceipt",
  outcome: "issued",
  cluster: "prod",
  csrName: "csr-7",
  csrUid: "11111111-1111-4111-8111-111111111111",
  record: decision.record,
  serial: "01ab",
  notBefore: "2026-11-29T16:40:00.000Z",
  notAfter: "2027-11-29T16:40:00.000Z",
  issuer: "CN=kubernetes",
  certificateSha256: "e".repeat(64),
  matchesRequest: false,
  mismatches: ["public key differs", "SAN evil.example.com was not requested"],
  failure: null,
  recordedAt: "2026-11-29T16:41:00.000Z",
};
const receipts: Record<string, Receipt> = {
  "a denial": decision,
  approval: {
    ...decision,
    decision: "approved",
    mergeCommit: "f".repeat(40),
    mergedBy: { login: "carol", id: 1003 },
    approvedBy: [
      { login: "alice", id: 1001 },
      { login: "bob", id: 1002 },
    ],
    closedBy: null,
    reason: null,
  },
  "a refusal": {
    ...decision,
    decision: "refused",
    mergeCommit: "f".repeat(40),
    mergedBy: { login: "carol", id: 1003 },
    approvedBy: [{ login: "alice", id: 1001 }],
    closedBy: null,
    reason: null,
    refused: ["too-few-approvals", "head-not-app-commit"],
  },
  "an issued certificate": certificate,
  "a failed certificate": {
    ...certificate,
    outcome: "failed",
    serial: null,
    notBefore: null,
    notAfter: null,
    issuer: null,
    certificateSha256: null,
    matchesRequest: null,
    mismatches: [],
    failure: "SignerValidationFailure: invalid usage",
  },
};

/** What a worker gives for the file `text` added by a commit with `message`. */
const shortcut = (message: string, text: string) =>
  receiptFileFromTrailers(message, gitBlobSha(text));

describe("a receipt file that is the rendering of its trailers", () => {
  it.each(Object.entries(receipts))("%s: known without parsing, as parsing gives it", (_, r) => {
    const text = renderReceiptYaml(r);
    const known = shortcut(renderReceiptMessage(r), text);
    expect(known?.ok).toBe(true);
    expect(known).toEqual(FORMATS.parseReceiptFile(text));
  });

  it("holds for any reason text the trailers carry", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (reason) => {
        const message = renderReceiptMessage({ ...decision, reason });
        const fromTrailers = FORMATS.parseReceipt(message);
        if (fromTrailers?.ok !== true || fromTrailers.value.kind !== "decision") return false;
        // The file the app writes is rendered from the receipt as the trailers hold it.
        const text = renderReceiptYaml({ ...decision, reason: fromTrailers.value.reason ?? null });
        const known = shortcut(message, text);
        return JSON.stringify(known) === JSON.stringify(FORMATS.parseReceiptFile(text));
      }),
      { seed: 1212, numRuns: 200 },
    );
  });

  it.each([
    ["a file with other content", renderReceiptMessage(decision), "reason: no\n"],
    ["a file the trailers disagree with", renderReceiptMessage({ ...decision, reason: "x" })],
    ["a commit without trailers", "just a commit\n"],
    ["trailers that do not parse", "x\n\nCsr-Gitops-Receipt: decision\n"],
  ])("is parsed when it is not: %s", (_, message, extra = "") => {
    expect(shortcut(message, renderReceiptYaml(decision) + extra)).toBeUndefined();
  });

  it("is parsed in a SHA-256 repository (its blob ids are not SHA-1)", () => {
    const message = renderReceiptMessage(decision);
    expect(receiptFileFromTrailers(message, "0".repeat(64))).toBeUndefined();
  });
});
