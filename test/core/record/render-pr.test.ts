import { describe, expect, it } from "vitest";
import {
  parseTemplate,
  prLabels,
  renderCheckRun,
  renderPr,
} from "../../../src/core/record/render-pr.ts";
import { kubeletClient, kubeletServing, makeCsrObject } from "../../support/make-csr.ts";
import { fixedKeyPair } from "../../support/fixed-keys.ts";
import { SHIPPED_TEMPLATES } from "./pr-templates.ts";
import { recordFor, servingRecord, UID, userRecord } from "./record-fixtures.ts";

const context = { recordPath: `clusters/prod-eu/csr-8k2lq_${UID}/record.yaml`, superseded: [] };

/**
 * The body's lines other than the verdict's reasons, each cut at its first value: the same for
 * every CSR unless a value started a line of its own.
 */
function skeleton(body: string): string[] {
  return body
    .split("\n")
    .slice(1)
    .filter((line) => !line.startsWith("- `") && !["", "Reasons to deny:", "Notes:"].includes(line))
    .map((line) => line.split(/[`(\\]/)[0] ?? "");
}

/** What is left of rendered markdown once every code span (and escaped ` or |) is taken out. */
function outsideCode(markdown: string): string {
  return markdown.replace(/\\[`|]/g, "").replace(/`[^`\n]*`/g, "");
}

const HOSTILE = [
  "@acme/security please approve @alice",
  "<img src=x onerror=alert(1)> <script>alert(1)</script> &amp;",
  "[click](https://evil.example/) https://evil.example www.evil.example",
  "x\n# verdict: allow\n**Policy verdict: allow**",
  "`` `code` ``` fence\n```\n| a | b |",
  "\u202eevil\u200b\u0000\u001b[31m",
  "#1 GH-2 acme/csr-audit#3 :tada: ![i](x)",
  "a".repeat(5000),
];

describe("the rendered pull request", () => {
  it("shows every detail a reviewer judges, with the deadline", () => {
    const { title, body, labels } = renderPr(servingRecord(), SHIPPED_TEMPLATES, context);
    expect(title).toBe(
      "CSR `csr-8k2lq` on `prod-eu`: `kubernetes.io/kubelet-serving` for `system:node:worker-1` (policy: allow)",
    );
    expect(body).toContain("**Policy verdict: allow**");
    expect(body).toContain("Merging approves the CSR once 2 code owners have approved");
    expect(body).toContain("- Subject alternative names: DNS `worker-1`, IP `10.0.0.5`");
    expect(body).toContain("- Key: RSA 2048 bits");
    expect(body).toContain("Kubernetes deletes this CSR at **`2026-11-30T16:19:58Z`**");
    expect(labels).toEqual([
      "csr-gitops",
      "verdict: allow",
      "signer: kubernetes.io/kubelet-serving",
      "cluster: prod-eu",
    ]);
  });

  it("says that merging never approves a denied CSR, with every reason", () => {
    const record = recordFor({
      ...kubeletServing("worker-1"),
      dns: ["evil.example.com"],
      username: "system:node:worker-2",
    });
    const { body, labels } = renderPr(record, SHIPPED_TEMPLATES, context);
    expect(body).toContain("**Policy verdict: deny**");
    expect(body).toContain("Merging this pull request never approves the CSR");
    for (const reason of record.verdict.reasons) expect(body).toContain(`- \`${reason.code}\`:`);
    expect(labels).toContain("verdict: deny");
  });

  it("links the pull requests of superseded CSRs", () => {
    const { body } = renderPr(servingRecord(), SHIPPED_TEMPLATES, {
      ...context,
      superseded: [
        { uid: "11111111-2222-4333-8444-555555555555", pullRequest: 12 },
        { uid: "66666666-2222-4333-8444-555555555555", pullRequest: undefined },
      ],
    });
    expect(body).toContain("- Supersedes: #12, CSR uid `66666666-2222-4333-8444-555555555555`");
  });

  it.each(HOSTILE)("renders hostile CSR values inert (case %#)", (hostile) => {
    const object = makeCsrObject({
      ...kubeletServing("worker-1"),
      keyPair: fixedKeyPair("rsa2048"),
      key: "rsa2048",
      subject: { CN: hostile.slice(0, 60), O: [hostile.slice(0, 60)], OU: [hostile] },
      dns: ["worker-1"],
      username: hostile,
      groups: [hostile, "system:nodes"],
      extra: { [hostile]: [hostile] },
      uid: UID,
    });
    const record = recordFor({}, { object });
    const plain = renderPr(servingRecord(), SHIPPED_TEMPLATES, context);
    const rendered = renderPr(record, SHIPPED_TEMPLATES, context);

    // Same number of lines as a benign body: no value starts a line of its own.
    expect(skeleton(rendered.body)).toEqual(skeleton(plain.body));
    const outside = outsideCode(rendered.body);
    for (const forbidden of [
      "@",
      "<img",
      "<script",
      "](",
      "https://",
      "www.",
      "\u202e",
      "\u0000",
      "\u001b",
      ":tada:",
      "#1 ",
      "GH-2",
    ]) {
      expect(outside).not.toContain(forbidden);
    }
    expect(outside.match(/^#/gm) ?? []).toEqual(outsideCode(plain.body).match(/^#/gm) ?? []);
    expect(outside.match(/verdict: allow/gi) ?? []).toEqual([]);
    expect(rendered.title).not.toContain("\n");
    expect(Array.from(rendered.title).length).toBeLessThanOrEqual(256);
    expect(outsideCode(rendered.title)).not.toMatch(/[@<\n]|https?:/);
    for (const label of prLabels(record)) expect(Array.from(label).length).toBeLessThanOrEqual(50);
  });

  it("bounds long values and long lists", () => {
    const object = makeCsrObject({
      ...kubeletServing("worker-1"),
      keyPair: fixedKeyPair("rsa2048"),
      key: "rsa2048",
      dns: Array.from({ length: 60 }, (_, i) => `n${i}.example.com`),
      uid: UID,
    });
    const { body } = renderPr(recordFor({}, { object }), SHIPPED_TEMPLATES, context);
    expect(body).toContain("and 36 more (see the record file)");
    const long = recordFor(userClientWith("x".repeat(10_000)));
    expect(renderPr(long, SHIPPED_TEMPLATES, context).body).toMatch(/more characters/);
  });

  it("refuses a template with an unknown placeholder, naming file, line and column", () => {
    const parsed = parseTemplate(
      "CSR {{csrName}}\nfor {{ approver }}",
      ".github/csr-gitops/title.md",
    );
    expect(parsed).toMatchObject({
      ok: false,
      errors: [{ file: ".github/csr-gitops/title.md", line: 2, column: 5, field: "approver" }],
    });
  });

  it("takes an audit repo's template override, and fills no placeholder inside a value", () => {
    const title = parseTemplate("{{cluster}} / {{commonName}}", "t");
    if (!title.ok) throw new Error("template");
    const object = makeCsrObject({
      ...kubeletClient("worker-1"),
      subject: { CN: "{{decision}}", O: ["system:nodes"] },
      uid: UID,
    });
    const rendered = renderPr(
      recordFor({}, { object }),
      { ...SHIPPED_TEMPLATES, title: title.template },
      context,
    );
    expect(rendered.title).toBe("`prod-eu` / `{{decision}}`");
  });

  it("gives the check run the verdict, its reasons and the approvals required", () => {
    expect(renderCheckRun(servingRecord(), 1)).toEqual({
      title: "Policy allows; 1 of 2 code owner approvals",
      summary: "**Policy verdict: allow**; 1 of 2 code owner approvals.\n",
    });
    const denied = renderCheckRun(
      recordFor({ ...kubeletServing("worker-1"), username: "system:node:worker-2" }),
      0,
    );
    expect(denied.title).toMatch(/^Policy denies \(\d+ reasons?\); merging never approves$/);
    expect(denied.summary).toContain("Reasons to deny:");
  });

  it("renders representative pull requests to the committed snapshots", async () => {
    const cases = {
      "kubelet-serving": servingRecord(),
      "user-client": userRecord(),
      denied: recordFor({
        ...kubeletServing("worker-1"),
        dns: ["worker-1", "api.example.com"],
        username: "system:node:worker-2",
      }),
    };
    for (const [name, record] of Object.entries(cases)) {
      const pr = renderPr(record, SHIPPED_TEMPLATES, {
        ...context,
        superseded: name === "denied" ? [{ uid: UID, pullRequest: 7 }] : [],
      });
      await expect(`${pr.title}\n`).toMatchFileSnapshot(`__snapshots__/pr-${name}.title.txt`);
      await expect(pr.body).toMatchFileSnapshot(`__snapshots__/pr-${name}.body.md`);
    }
  });
});

function userClientWith(cn: string): Parameters<typeof recordFor>[0] {
  return {
    subject: { CN: cn },
    signerName: "kubernetes.io/kube-apiserver-client",
    usages: ["digital signature", "client auth"],
    username: cn,
  };
}
