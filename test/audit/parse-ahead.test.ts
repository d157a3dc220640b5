/**
 * The first audit's parsing: records read as facts (record-facts.ts) accepted and rejected exactly
 * as the record format's own `parseRecord` does, and the worker threads (parse-pool.ts)
 * giving the same results as parsing on the main thread.
 */
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../src/audit/formats.ts";
import type { AuditHistory, HistoryCommit } from "../../src/audit/history.ts";
import { parseInParallel, pendingParses } from "../../src/audit/parse-pool.ts";
import { emptyCache } from "../../src/audit/record-cache.ts";
import { parseRecordFacts, toRecordFacts } from "../../src/audit/record-facts.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { renderReceiptYaml, type DecisionReceipt } from "../../src/core/record/receipt.ts";
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

function receiptText(uid: string, i: number): string {
  const receipt: DecisionReceipt = {
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
  return renderReceiptYaml(receipt);
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
    const receiptSha = i.toString(16).padStart(40, "b");
    blobs.set(recordSha, i % 5 === 0 ? record.replace("kind: CsrRecord", "kind: [") : record);
    blobs.set(receiptSha, i % 5 === 1 ? "kind: nothing\n" : receiptText(uid, i));
    commits.push({
      sha: i.toString(16).padStart(40, "c"),
      parents: [],
      author: who,
      committer: who,
      message: "",
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
