/**
 * A large audit repository for `bench/audit-ledger.ts`, written with one `git fast-import`: for each
 * CSR the app's record commit on its PR branch, GitHub's merge commit on main, and the app's
 * decision receipt (file and trailers rendered by src/core/record). Records are real: a handful of
 * real CSRs are rendered once and varied by name, uid and time, which keeps generation fast
 * without changing what the audit reads or checks.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeCsrObject } from "../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../src/core/policy/index.ts";
import { buildRecord, renderRecord, type CsrRecord } from "../src/core/record/record.ts";
import { renderReceiptMessage, renderReceiptYaml } from "../src/core/record/receipt.ts";
import { kubeletServing, makeCsrObject } from "../test/support/make-csr.ts";

const APP = "csr-gitops[bot] <41898282+csr-gitops[bot]@users.noreply.github.com>";
const GITHUB = "GitHub <noreply@github.com>";

function uuid(i: number): string {
  const h = createHash("sha256").update(String(i)).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function gitBlobSha(text: string): string {
  const body = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text, "utf8")}\n${text}\n`;
}

export function buildAuditRepo(records: number, clusters = 10): string {
  const dir = mkdtempSync(join(tmpdir(), "csr-audit-bench-"));
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", dir]);
  const templates: CsrRecord[] = [];
  for (let t = 0; t < 8; t++) {
    const object = makeCsrObject({
      ...kubeletServing(`worker-${t}`),
      name: `t-${t}`,
      uid: uuid(-t - 1),
      creationTimestamp: "2026-01-01T00:00:00Z",
    });
    const decoded = decodeCsrObject(object);
    const built = buildRecord({
      cluster: "c0",
      recordedAt: new Date("2026-01-01T00:00:00Z"),
      decoded,
      specRequest: (object.spec as { request: string }).request,
      verdict: evaluate(DEFAULT_POLICY, decoded),
      policy: { source: "builtin", blobSha: null, configBlobSha: null, baseCommit: "0".repeat(40) },
      supersedes: [],
    });
    if (!built.ok) throw new Error(built.message);
    templates.push(built.record);
  }
  const chunks: string[] = [];
  let mark = 1;
  let time = Date.parse("2026-01-01T00:00:00Z") / 1000;
  const first = mark++;
  chunks.push(
    `commit refs/heads/main\nmark :${first}\ncommitter Alice <1001+alice@users.noreply.github.com> ${time} +0000\n`,
    data("Audit repository\n"),
    `M 100644 inline .github/CODEOWNERS\n`,
    data("/clusters/ @alice @bob @carol\n.github/ @alice\n"),
  );
  let main = first;
  const meta: {
    cluster: string;
    name: string;
    uid: string;
    path: string;
    blob: string;
    sha256: string;
  }[] = [];
  for (let i = 0; i < records; i++) {
    const template = templates[i % templates.length];
    if (template === undefined) throw new Error("no template");
    const cluster = `c${i % clusters}`;
    const name = `csr-${i}`;
    const uid = uuid(i);
    const record: CsrRecord = {
      ...template,
      cluster,
      recordedAt: new Date(time * 1000).toISOString(),
      csr: { ...template.csr, name, uid },
    };
    const path = `clusters/${cluster}/${name}_${uid}`;
    const recordText = renderRecord(record);
    meta.push({
      cluster,
      name,
      uid,
      path,
      blob: gitBlobSha(recordText),
      sha256: record.request.sha256,
    });
    time += 60;
    const prCommit = mark++;
    chunks.push(
      `commit refs/heads/csr-gitops/${cluster}/${uid}\nmark :${prCommit}\ncommitter ${APP} ${time} +0000\n`,
      data(`Record ${cluster}/${name}\n`),
      `from :${main}\nM 100644 inline ${path}/record.yaml\n`,
      data(recordText),
    );
    time += 60;
    const merge = mark++;
    chunks.push(
      `commit refs/heads/main\nmark :${merge}\nauthor Carol <1003+carol@users.noreply.github.com> ${time} +0000\ncommitter ${GITHUB} ${time} +0000\n`,
      data(`Merge pull request #${i + 1} from acme/csr-gitops/${cluster}/${uid}\n`),
      `from :${main}\nmerge :${prCommit}\nM 100644 inline ${path}/record.yaml\n`,
      data(recordText),
    );
    main = merge;
    // The receipt names the merge commit by its SHA, which fast-import reports back (get-mark).
    chunks.push(`get-mark :${merge}\n`);
    time += 60;
  }
  // First stream: records and merges; read back the merge SHAs, then append the receipts.
  const firstStream = chunks.join("");
  const out = execFileSync("git", ["-C", dir, "fast-import", "--quiet", "--cat-blob-fd=1"], {
    input: firstStream,
    maxBuffer: 1024 * 1024 * 1024,
  }).toString("utf8");
  const mergeShas = out.split("\n").filter((l) => /^[0-9a-f]{40}$/.test(l));
  if (mergeShas.length !== records)
    throw new Error(`fast-import returned ${mergeShas.length} merge SHAs`);

  const receipts: string[] = [];
  const lastMerge = mergeShas.at(-1) ?? "";
  time = Date.parse("2027-01-01T00:00:00Z") / 1000;
  // Receipts come after all merges here (one second stream); the audit's checks do not depend on
  // interleaving, and CODEOWNERS is the same at every merge.
  for (const [i, m] of meta.entries()) {
    const { cluster, name, uid, path } = m;
    const receipt = {
      kind: "DecisionReceipt" as const,
      decision: "approved" as const,
      cluster,
      csrName: name,
      csrUid: uid,
      requestSha256: m.sha256,
      record: `${path}/record.yaml`,
      recordBlob: m.blob,
      pullRequest: i + 1,
      mergeCommit: mergeShas[i] ?? null,
      mergedBy: { login: "carol", id: 1003 },
      approvedBy: [
        { login: "alice", id: 1001 },
        { login: "bob", id: 1002 },
      ],
      requiredApprovals: 2,
      policyBlob: "builtin",
      closedBy: null,
      reason: null,
      refused: [],
      decidedAt: new Date(time * 1000).toISOString(),
    };
    time += 60;
    receipts.push(
      `commit refs/heads/main\ncommitter ${APP} ${time} +0000\n`,
      data(renderReceiptMessage(receipt)),
      `${i === 0 ? `from ${lastMerge}\n` : ""}M 100644 inline ${path}/decision.yaml\n`,
      data(renderReceiptYaml(receipt)),
    );
  }
  execFileSync("git", ["-C", dir, "fast-import", "--quiet", "--force"], {
    input: receipts.join(""),
    maxBuffer: 1024 * 1024 * 1024,
  });
  return dir;
}
