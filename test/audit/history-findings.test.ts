/**
 * The history findings a repository made by the flow should never show, each made once by the
 * edit that causes it (docs/audit.md, "Findings"): records deleted, unreadable, with a wrong digest
 * or in another CSR's folder, stray files, a second decision, an approval of a denied record, and
 * a certificate receipt with no approval.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { renderRecord } from "../../src/core/record/record.ts";
import { audit } from "./support/audit-json.ts";
import { PEOPLE, personIdentity } from "./support/audit-repo-builder.ts";
import { auditRepos, servingCsr as serving } from "./support/audit-repos.ts";

const repo = auditRepos();

describe("history findings", () => {
  it("each edit that breaks the ledger's promises is named, at the commit that made it", async () => {
    const r = repo();
    const byPerson = (files: Record<string, string | null>, message: string): string =>
      r.commit({ branch: "main", files, message, author: personIdentity(PEOPLE.mallory) });
    const id = (k: { name: string; uid: string }): string => `prod-eu/${k.name}_${k.uid}`;

    // A record deleted after its approval.
    const deleted = r.approve(serving("worker-1"));
    const deletion = byPerson({ [deleted.pr.recordPath]: null }, "Remove a record");

    // Records committed straight to the default branch: unreadable, a digest that is not the
    // request's, and one in the folder of another CSR.
    const template = r.openRecordPr(serving("worker-2"));
    const text = renderRecord(template.record);
    const bad = { name: "broken", uid: randomUUID() };
    const digest = { name: template.key.name, uid: randomUUID() };
    const elsewhere = { name: "elsewhere", uid: randomUUID() };
    const folder = (k: { name: string; uid: string }): string =>
      `clusters/prod-eu/${k.name}_${k.uid}/record.yaml`;
    const badCommit = byPerson({ [folder(bad)]: "kind: [CsrRecord\n" }, "Add a record");
    const digestCommit = byPerson(
      {
        [folder(digest)]: text
          .replaceAll(template.key.uid, digest.uid)
          .replace(template.record.request.sha256, "f".repeat(64)),
      },
      "Add a record",
    );
    const elsewhereCommit = byPerson({ [folder(elsewhere)]: text }, "Add a record");
    // A file outside the layout.
    const stray = byPerson({ "clusters/prod-eu/notes.txt": "hello\n" }, "Notes");

    // A second decision for one CSR, by the app.
    const twice = r.approve(serving("worker-3"));
    const second = r.writeReceipt(
      r.decision(twice.pr, twice.merge, {
        decision: "refused",
        mergeCommit: twice.merge,
        mergedBy: PEOPLE.carol,
        refused: ["csr-not-pending"],
      }),
    );

    // An approval receipt for a record the policy denied.
    const denied = r.openRecordPr(serving("worker-4", ["evil.example.com"]));
    expect(denied.record.verdict.decision).toBe("deny");
    const deniedMerge = r.merge(denied);
    const approval = r.writeReceipt(r.decision(denied, deniedMerge));

    // A certificate receipt and no decision receipt.
    const lonely = r.openRecordPr(serving("worker-5"));
    r.merge(lonely);
    const certificate = r.writeReceipt({
      kind: "CertificateReceipt",
      outcome: "issued",
      cluster: "prod-eu",
      csrName: lonely.key.name,
      csrUid: lonely.key.uid,
      record: lonely.recordPath,
      serial: "0a1b",
      notBefore: "2026-11-01T09:00:00.000Z",
      notAfter: "2026-11-02T09:00:00.000Z",
      issuer: "CN=kubernetes",
      certificateSha256: "1".repeat(64),
      matchesRequest: true,
      mismatches: [],
      failure: null,
      recordedAt: r.tick().toISOString(),
    });

    const { status, report } = await audit(r, ["--receipt-grace", String(10_000_000)]);
    expect(status).toBe(1);
    const found = report.findings.map((f) => [f.code, f.subject, f.commit ?? ""]);
    for (const expected of [
      ["record-deleted", id(deleted.pr.key), deletion],
      ["record-invalid", id(bad), badCommit],
      ["record-digest-invalid", id(digest), digestCommit],
      ["record-path-mismatch", id(elsewhere), elsewhereCommit],
      ["unexpected-file", "clusters/prod-eu/notes.txt", stray],
      ["receipt-duplicate", id(twice.pr.key), second],
      ["approved-despite-deny", id(denied.key), approval],
      ["certificate-without-decision", id(lonely.key), certificate],
    ])
      expect(found).toContainEqual(expected);
    // Nothing is said about the CSRs no edit touched.
    expect(found.filter((f) => f[1] === id(template.key))).toEqual([]);
    for (const f of report.findings) expect(f.why).not.toBe("");
  });
});
