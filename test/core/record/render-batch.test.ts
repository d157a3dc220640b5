/**
 * The batch PR exactly as reviewers read it (docs/controller.md, "Batches"): its title, labels,
 * the fields that differ and those the CSRs share, one table row per CSR, and the check run's
 * words. Every line is pinned: a body that drops a field, merges two values or miscounts CSRs
 * would show reviewers a batch other than the one they approve.
 */
import { describe, expect, it } from "vitest";
import type { CsrRecord } from "../../../src/core/record/record-schema.ts";
import {
  renderBatchCheckRun,
  renderBatchPr,
  type BatchEntry,
} from "../../../src/core/record/render-batch.ts";
import { batchEntry as entry, type Writable } from "./record-fixtures.ts";

type Decoded = NonNullable<CsrRecord["request"]["decoded"]>;

function decodedOf(r: Writable<CsrRecord>): Writable<Decoded> {
  if (r.request.decoded === null) throw new Error("the fixture's request decodes");
  return r.request.decoded;
}

const INTRO = (n: number, required: number): string[] => [
  `**Policy verdict: allow** for each of these ${String(n)} CSRs, which arrived together from cluster \`prod-eu\` for signer \`kubernetes.io/kube-apiserver-client\`.`,
  "",
  `Merging approves each CSR once ${String(required)} code owners have approved this pull request; the app checks every CSR on its own (its record, the policy, the approvals and the CSR as it is then) and approves only the ones that pass. Closing denies all of them.`,
  "",
  "### What differs",
  "",
];
const TABLE_HEAD = [
  "### The CSRs",
  "",
  "| # | CSR | requester | common name | subject alternative names | created | request SHA-256 |",
  "| - | --- | --------- | ----------- | ------------------------- | ------- | --------------- |",
];
const FOOTER = [
  "",
  "Each CSR's full record is its own file: `clusters/prod-eu/<name>_<uid>/record.yaml`.",
];
const row = (i: number, name: string, cn = "`alice`", sans = "(none)"): string =>
  `| ${String(i)} | \`${name}\` | \`kubernetes-admin\` | ${cn} | ${sans} | \`2026-11-29T16:19:58Z\` | \`e2a7e340b914\` |`;

describe("a batch whose CSRs differ only in what the table shows", () => {
  // Rendered inside each test, so a mutation run counts the test as covering the renderer.
  const pr = () => renderBatchPr([entry("csr-b"), entry("csr-a")]);

  it("has the title and labels of its signer and cluster, and the batch label", () => {
    expect(pr().title).toBe(
      "Approve 2 CSRs for `kubernetes.io/kube-apiserver-client` in `prod-eu`",
    );
    expect(pr().labels).toEqual([
      "csr-gitops",
      "verdict: allow",
      "signer: kubernetes.io/kube-apiserver-client",
      "cluster: prod-eu",
      "batch",
    ]);
  });

  it("says nothing differs, lists every shared field, and sorts the rows by record path", () => {
    expect(pr().body).toBe(
      [
        ...INTRO(2, 2),
        "Nothing beyond each CSR's name, requester, subject and SANs (the table): every other field below is the same for all 2.",
        "",
        "### What they share",
        "",
        "- Signer: `kubernetes.io/kube-apiserver-client`",
        "- Usages: `digital signature`, `key encipherment`, `client auth`",
        "- Lifetime: 86400 s",
        "- Key: RSA 2048",
        "- Subject organizations: `dev`",
        "- Requester groups: `kubeadm:cluster-admins`, `system:authenticated`",
        "- Requester extra: (none)",
        "- Extensions: (none)",
        "- Required approvals: 2",
        "- Policy notes: (none)",
        "- Policy: built-in",
        "",
        ...TABLE_HEAD,
        row(1, "csr-a"),
        row(2, "csr-b"),
        ...FOOTER,
      ].join("\n"),
    );
  });
});

describe("a batch whose CSRs differ in every compared field", () => {
  const usages5 = [
    "digital signature",
    "key encipherment",
    "client auth",
    "server auth",
    "code signing",
  ];
  const pr = () =>
    renderBatchPr([
      entry("csr-c", (r) => {
        const d = decodedOf(r);
        d.publicKey = { algorithm: "ECDSA", curve: "P-384" };
        d.subject.organizations = [];
        d.extensions = [{ oid: "2.5.29.17", name: "subjectAltName", critical: false }];
        r.csr.expirationSeconds = null;
        r.csr.usages = [...usages5, "email protection"];
        r.csr.requester.groups = ["system:\u0430uthenticated", "g".repeat(100)];
        r.csr.requester.extra = { scopes: [], team: ["a", "b"] };
        r.verdict.requiredApprovals = 3;
        r.verdict.notes = [{ code: "near-expiry", message: "expires soon" }];
        r.policy.blobSha = "b".repeat(40);
      }),
      entry("csr-a", (r) => {
        const d = decodedOf(r);
        d.publicKey = { algorithm: "Ed25519" };
        d.subjectAltNames = [1, 2, 3, 4, 5, 6].map((i) => ({
          type: "DNS" as const,
          value: `h${String(i)}.example`,
        }));
        r.csr.usages = usages5;
        r.csr.requester.groups = [];
      }),
      entry("csr-b", (r) => {
        r.request.decoded = null;
        r.csr.usages = [];
        r.verdict.requiredApprovals = 1;
      }),
    ]);

  it("asks for the most approvals any CSR needs", () => {
    expect(pr().title).toBe(
      "Approve 3 CSRs for `kubernetes.io/kube-apiserver-client` in `prod-eu`",
    );
    expect(pr().body.split("\n").slice(0, 6)).toEqual(INTRO(3, 3));
  });

  it("lists each field's values with their counts, most common first, then in text order", () => {
    const five =
      "`digital signature`, `key encipherment`, `client auth`, `server auth`, `code signing`";
    expect(pr().body).toBe(
      [
        ...INTRO(3, 3),
        `- **Usages**: (none) (1 CSR); ${five} (1 CSR); ${five}, +1 (1 CSR)`,
        "- **Lifetime**: 86400 s (2 CSRs); signer default (1 CSR)",
        "- **Key**: (unknown) (1 CSR); ECDSA P-384 (1 CSR); Ed25519 (1 CSR)",
        "- **Subject organizations**: (none) (2 CSRs); `dev` (1 CSR)",
        `- **Requester groups**: (none) (1 CSR); \`kubeadm:cluster-admins\`, \`system:authenticated\` (1 CSR); \`system:\u0430uthenticated\` (non-ASCII: U+0430), \`${"g".repeat(59)}\`… 41 more characters (1 CSR)`,
        "- **Requester extra**: (none) (2 CSRs); `scopes`=(none), `team`=`a`, `b` (1 CSR)",
        "- **Extensions**: (none) (2 CSRs); `subjectAltName` (1 CSR)",
        "- **Required approvals**: 1 (1 CSR); 2 (1 CSR); 3 (1 CSR)",
        "- **Policy notes**: (none) (2 CSRs); `near-expiry` (1 CSR)",
        `- **Policy**: built-in (2 CSRs); \`${"b".repeat(40)}\` (1 CSR)`,
        "",
        "### What they share",
        "",
        "- Signer: `kubernetes.io/kube-apiserver-client`",
        "",
        ...TABLE_HEAD,
        row(
          1,
          "csr-a",
          "`alice`",
          "DNS `h1.example`, DNS `h2.example`, DNS `h3.example`, DNS `h4.example`, DNS `h5.example`, +1",
        ),
        row(2, "csr-b", "(undecodable)", "(undecodable)"),
        row(3, "csr-c"),
        ...FOOTER,
      ].join("\n"),
    );
  });
});

describe("counts and bounds", () => {
  const differs = (entries: BatchEntry[]): string[] =>
    renderBatchPr(entries)
      .body.split("\n")
      .filter((l) => l.startsWith("- **"));

  it("puts the value most CSRs share first, whatever the order of the records", () => {
    const lifetime = (s: number) => (r: Writable<CsrRecord>) => {
      r.csr.expirationSeconds = s;
    };
    expect(
      differs([
        entry("csr-a", lifetime(86400)),
        entry("csr-b", lifetime(3600)),
        entry("csr-c", lifetime(3600)),
      ]),
    ).toEqual(["- **Lifetime**: 3600 s (2 CSRs); 86400 s (1 CSR)"]);
  });

  it("shows all of exactly ten distinct values, with no count of more", () => {
    const entries = Array.from({ length: 10 }, (_, i) =>
      entry(`csr-${String(i).padStart(2, "0")}`, (r) => {
        r.csr.expirationSeconds = 1000 + i;
      }),
    );
    const shown = Array.from({ length: 10 }, (_, i) => `${String(1000 + i)} s (1 CSR)`).join("; ");
    expect(differs(entries)).toEqual([`- **Lifetime**: ${shown}`]);
  });

  it("shows ten distinct values of a field and counts the rest", () => {
    const entries = Array.from({ length: 12 }, (_, i) =>
      entry(`csr-${String(i).padStart(2, "0")}`, (r) => {
        r.csr.expirationSeconds = 1000 + i;
      }),
    );
    const shown = Array.from({ length: 10 }, (_, i) => `${String(1000 + i)} s (1 CSR)`).join("; ");
    expect(differs(entries)).toEqual([`- **Lifetime**: ${shown}; and 2 more`]);
  });

  it("has a row for each of the first 100 CSRs and counts the others", () => {
    const entries = Array.from({ length: 102 }, (_, i) =>
      entry(`csr-${String(i).padStart(3, "0")}`),
    );
    const lines = renderBatchPr(entries).body.split("\n");
    const rows = lines.filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(100);
    expect(rows.at(-1)).toBe(row(100, "csr-099"));
    expect(lines.slice(-4)).toEqual(["", "and 2 more CSRs (see the record files)", ...FOOTER]);
  });

  it("cuts a long value at 80 characters in a row", () => {
    const long = "n".repeat(100);
    const rows = renderBatchPr([entry(long), entry("csr-a")])
      .body.split("\n")
      .filter((l) => /^\| \d+ \|/.test(l));
    expect(rows[1]).toBe(
      `| 2 | \`${"n".repeat(59)}\`… 41 more characters | \`kubernetes-admin\` | \`alice\` | (none) | \`2026-11-29T16:19:58Z\` | \`e2a7e340b914\` |`,
    );
  });

  it("renders an empty batch as an empty PR without labels", () => {
    expect(renderBatchPr([])).toEqual({ title: "csr-gitops: empty batch", body: "", labels: [] });
  });
});

describe("the batch check run", () => {
  it("counts the approvals against the most any CSR needs", () => {
    const three = entry("csr-c", (r) => {
      r.verdict.requiredApprovals = 3;
    });
    expect(renderBatchCheckRun([entry("csr-a"), three], 1)).toEqual({
      title: "Policy allows all 2 CSRs; 1 of 3 code owner approvals",
      summary:
        "**Policy verdict: allow** for each of 2 CSRs; 1 of 3 code owner approvals. Merging approves each CSR that still passes every check on its own.",
    });
  });

  it("needs no approvals for no CSRs", () => {
    expect(renderBatchCheckRun([], 0).title).toBe(
      "Policy allows all 0 CSRs; 0 of 0 code owner approvals",
    );
  });
});
