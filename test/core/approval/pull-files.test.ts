/**
 * The app's PR must add exactly the record blobs its check run names, once each, and the record
 * read must be one of them; a policy that denies for several reasons names each. Written from the
 * survivors of a complete mutation run of src/core/approval (docs/mutation.md): each row fails if
 * one of those mutants is applied.
 */
import { describe, expect, it } from "vitest";
import { checkPull } from "../../../src/core/approval/check-pull.ts";
import { decideApproval } from "../../../src/core/approval/decide.ts";
import { renderExternalId } from "../../../src/core/approval/external-id.ts";
import type { ApprovalSnapshot } from "../../../src/core/approval/snapshot.ts";
import { batchBranch } from "../../../src/core/record/layout.ts";
import { BLOB, liveCsr, OTHER_UID, RECORD_PATH, UID, withFacts } from "./snapshot-fixture.ts";

const OTHER_PATH = `clusters/prod/csr-other_${OTHER_UID}/record.yaml`;
const OTHER_BLOB = "8".repeat(40);

function refusals(s: ApprovalSnapshot): { code: string; message: string }[] {
  const d = decideApproval(s);
  return d.approve ? [] : d.refusals.map((r) => ({ code: r.code, message: r.message }));
}

/** A batch PR of this CSR and csr-other: its branch and check run name both records. */
function batch(files: ApprovalSnapshot["files"]): ApprovalSnapshot {
  const branch = batchBranch([
    { cluster: "prod", name: "csr-test", uid: UID },
    { cluster: "prod", name: "csr-other", uid: OTHER_UID },
  ]);
  return withFacts(
    {
      files,
      checkRunExternalId: renderExternalId({
        records: [
          { path: RECORD_PATH, blobSha: BLOB },
          { path: OTHER_PATH, blobSha: OTHER_BLOB },
        ],
        tampered: false,
      }),
    },
    { headRef: branch.ok ? branch.value : "" },
  );
}

describe("the files of a batch PR", () => {
  it("approves the batch that adds each of its records once", () => {
    const s = batch([
      { filename: RECORD_PATH, status: "added", blobSha: BLOB },
      { filename: OTHER_PATH, status: "added", blobSha: OTHER_BLOB },
    ]);
    expect(refusals(s)).toEqual([]);
  });

  it("refuses a file list that names one record twice, naming every file and every record", () => {
    const s = batch([
      { filename: RECORD_PATH, status: "added", blobSha: BLOB },
      { filename: RECORD_PATH, status: "added", blobSha: BLOB },
    ]);
    expect(checkPull(s)).toEqual([
      {
        code: "files-not-record",
        message: `the PR changes "${RECORD_PATH}", "${RECORD_PATH}"; the app added only ${RECORD_PATH}, ${OTHER_PATH}`,
      },
    ]);
  });

  it("refuses another file in place of one record as a change of files, not as a blob mismatch", () => {
    const s = batch([
      { filename: RECORD_PATH, status: "added", blobSha: BLOB },
      { filename: "clusters/prod/evil.yaml", status: "added", blobSha: OTHER_BLOB },
    ]);
    expect(checkPull(s)).toEqual([
      {
        code: "files-not-record",
        message: `the PR changes "${RECORD_PATH}", "clusters/prod/evil.yaml"; the app added only ${RECORD_PATH}, ${OTHER_PATH}`,
      },
    ]);
  });
});

describe("the record read", () => {
  it("refuses a record at its own right path that the check run does not name", () => {
    const s = withFacts({
      record: {
        ok: true,
        path: OTHER_PATH,
        cluster: "prod",
        csrName: "csr-other",
        csrUid: OTHER_UID,
        requestSha256: "0".repeat(64),
      },
    });
    expect(checkPull(s)).toEqual([
      {
        code: "record-path-mismatch",
        message: `the record at ${OTHER_PATH} does not belong at that path or is not one the app wrote`,
      },
    ]);
  });
});

describe("the branch", () => {
  it("is not the app's branch for a check run that names a decision file instead of a record", () => {
    const decision = `clusters/prod/csr-test_${UID}/decision.yaml`;
    const s = withFacts({
      files: [{ filename: decision, status: "added", blobSha: BLOB }],
      checkRunExternalId: renderExternalId({
        records: [{ path: decision, blobSha: BLOB }],
        tampered: false,
      }),
    });
    expect(checkPull(s).map((f) => f.code)).toEqual(["not-app-branch", "record-path-mismatch"]);
  });
});

describe("a policy that denies for several reasons", () => {
  it("names each reason code, separated by a comma", () => {
    const live = liveCsr({
      signatureValid: false,
      usages: ["digital signature", "key encipherment", "server auth", "code signing"],
    });
    const codes = "signature-invalid, signer-rule-usages-mismatch, usage-not-allowed";
    expect(refusals(withFacts({ live }))).toEqual([
      { code: "policy-denies", message: `the policy at the merge base denies it: ${codes}` },
      { code: "policy-denies", message: `the policy at the tip of main denies it: ${codes}` },
    ]);
  });
});
