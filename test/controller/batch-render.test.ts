import { describe, expect, it } from "vitest";
import { batchEligible } from "../../src/controller/batch-eligible.ts";
import { DEFAULT_REPO_CONFIG, RepoConfigSchema } from "../../src/core/config/config-schema.ts";
import { decodeCsrObject } from "../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../src/core/policy/index.ts";
import { recordPath } from "../../src/core/record/layout.ts";
import { buildRecord, type CsrRecord } from "../../src/core/record/record.ts";
import { renderBatchPr } from "../../src/core/record/render-batch.ts";
import { makeCsrObject, userClient } from "../support/make-csr.ts";
import { renderGfm, tagsOf, textOutsideCode } from "../support/render-gfm.ts";

function record(cn: string, i: number, expirationSeconds = 86400): CsrRecord {
  const decoded = decodeCsrObject(
    makeCsrObject({
      ...userClient(cn, ["team-a"]),
      key: "p256",
      username: `user-${String(i)}`,
      expirationSeconds,
      name: `csr-${String(i)}`,
    }),
  );
  const built = buildRecord({
    cluster: "prod",
    recordedAt: new Date("2026-11-29T12:00:00Z"),
    decoded,
    specRequest: "",
    verdict: evaluate(DEFAULT_POLICY, decoded),
    policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: "a".repeat(40) },
    supersedes: [],
  });
  if (!built.ok) throw new Error(built.message);
  return built.record;
}

function entry(r: CsrRecord) {
  const path = recordPath({ cluster: r.cluster, name: r.csr.name, uid: r.csr.uid });
  if (!path.ok) throw new Error(path.message);
  return { path: path.value, record: r };
}

const batching = RepoConfigSchema.parse({ batch: { maxSize: 10 } });

describe("a batch PR's body", () => {
  it("has one table row per CSR and calls out the one field that differs", () => {
    const records = [record("alice", 1), record("bob", 2), record("carol", 3, 3600)];
    const html = renderGfm(renderBatchPr(records.map(entry)).body);
    expect(tagsOf(html).filter((t) => t === "tr")).toHaveLength(4); // header + 3 rows
    const differs = /<h3>What differs<\/h3>([\s\S]*?)<h3>/.exec(html)?.[1] ?? "";
    expect(textOutsideCode(differs)).toContain("Lifetime: 86400 s (2 CSRs); 3600 s (1 CSR)");
    expect(textOutsideCode(differs)).not.toContain("Usages");
  });

  it("renders hostile subject names inert: no mention, link, HTML or extra table cell", () => {
    const hostile = "@acme/admins <img src=x> [x](https://evil.example) | `x` **b**";
    const html = renderGfm(renderBatchPr([entry(record(hostile, 1)), entry(record("ok", 2))]).body);
    expect(tagsOf(html)).not.toContain("img");
    expect(tagsOf(html)).not.toContain("a");
    expect(textOutsideCode(html)).not.toContain("@acme");
    // Each row still has the 7 cells of the header.
    const rows = html.split("<tr>").slice(2);
    for (const row of rows) expect(row.split("<td>").length - 1).toBe(7);
  });
});

describe("which CSRs may share a PR", () => {
  it("allowed CSRs when batching is on; never with maxSize 1, a denied verdict or a risk tier", () => {
    const allowed = record("alice", 1);
    expect(batchEligible(batching, allowed)).toBe(true);
    expect(batchEligible(DEFAULT_REPO_CONFIG, allowed)).toBe(false);
    const denied = { ...allowed, verdict: { ...allowed.verdict, decision: "deny" as const } };
    expect(batchEligible(batching, denied)).toBe(false);
    const risky = {
      ...allowed,
      verdict: {
        ...allowed.verdict,
        notes: [{ code: "tier-applied", message: "risk tier applies" }],
      },
    };
    expect(batchEligible(batching, risky)).toBe(false);
  });
});
