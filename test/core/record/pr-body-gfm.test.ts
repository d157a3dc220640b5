/**
 * The PR page is the product's main screen: the shipped title and body rendered as GitHub renders
 * markdown (GFM, raw HTML kept, test/support/pr-page.ts), checked for what a reviewer sees: three
 * sections of list items, every CSR value a code span holding exactly that value, no table, link,
 * image, heading or HTML element coming from a CSR, whatever it contains.
 */
import { describe, expect, it } from "vitest";
import { renderPr } from "../../../src/core/record/render-pr.ts";
import { fixedKeyPair } from "../../support/fixed-keys.ts";
import { kubeletServing, makeCsrObject } from "../../support/make-csr.ts";
import { renderGfmLikeGitHub, renderTitle } from "../../support/pr-page.ts";
import { decodeHtmlText, renderedText, tagsOf } from "../../support/render-gfm.ts";
import { SHIPPED_TEMPLATES } from "./pr-templates.ts";
import { recordFor, servingRecord, UID } from "./record-fixtures.ts";

const context = { recordPath: `clusters/prod-eu/csr-8k2lq_${UID}/record.yaml`, superseded: [] };

/** The elements the shipped template itself makes; nothing from a CSR may add another kind. */
const TEMPLATE_TAGS = new Set(["p", "strong", "h3", "ul", "li", "code", "sub"]);

function elements(html: string): string[] {
  return [...new Set(tagsOf(html).filter((t) => !t.startsWith("/")))].sort();
}

function codeSpans(html: string): string[] {
  return [...html.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => decodeHtmlText(m[1] ?? ""));
}

function headings(html: string): string[] {
  return [...html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1] ?? "");
}

/** One list item per template line that starts a list item. */
function listItems(markdown: string): number {
  return markdown.split("\n").filter((l) => l.startsWith("- ")).length;
}

function hostileRecord(cn: string, ou: string) {
  return recordFor(
    {},
    {
      object: makeCsrObject({
        ...kubeletServing("worker-1"),
        keyPair: fixedKeyPair("rsa2048"),
        key: "rsa2048",
        subject: { CN: cn, O: ["system:nodes"], OU: [ou] },
        dns: ["worker-1"],
        uid: UID,
      }),
    },
  );
}

describe("the PR body as GitHub renders it", () => {
  it("shows the verdict, three sections of list items, and each value as code", () => {
    const { body } = renderPr(servingRecord(), SHIPPED_TEMPLATES, context);
    const html = renderGfmLikeGitHub(body);
    expect(elements(html)).toEqual([...TEMPLATE_TAGS].sort());
    expect(html).toMatch(/^<p><strong>Policy verdict: allow<\/strong>\. /);
    expect(headings(html)).toEqual(["What is asked", "Who asks", "The CSR"]);
    expect(tagsOf(html).filter((t) => t === "li")).toHaveLength(listItems(body));
    expect(codeSpans(html)).toEqual(
      expect.arrayContaining(["worker-1", "10.0.0.5", "system:node:worker-1", "csr-8k2lq", UID]),
    );
    expect(html).toContain("<strong><code>2026-11-30T16:19:58Z</code></strong>");
    // The footer is small print, not literal "<sub>" text.
    expect(renderedText(html)).not.toContain("<sub>");
  });

  it("lists each reason to deny as an item starting with its code", () => {
    const record = recordFor({
      subject: { CN: "alice", O: ["kubeadm:cluster-admins"] },
      signerName: "kubernetes.io/kube-apiserver-client",
      usages: ["digital signature", "client auth", "server auth"],
      username: "alice",
    });
    const html = renderGfmLikeGitHub(renderPr(record, SHIPPED_TEMPLATES, context).body);
    expect(html).toContain("<strong>Policy verdict: deny</strong>");
    const items = [...html.matchAll(/<li><code>([a-z-]+)<\/code>:/g)].map((m) => m[1]);
    expect(items).toEqual(record.verdict.reasons.map((r) => r.code));
    expect(items.length).toBeGreaterThan(0);
  });

  it.each([
    ["a table row", "| a | b |", "|---|---|"],
    ["HTML", "<img src=x onerror=alert(1)>", "<script>alert(1)</script><sub>x</sub>"],
    ["backticks", "``x` ```", "`"],
    ["markdown", "**bold** [l](https://e.example) ![i](x)", "# heading\n- item"],
    ["mentions and references", "@acme/security #1", "GH-2 :tada:"],
  ])("keeps %s from a CSR inert: no element the template does not make", (_what, cn, ou) => {
    const record = hostileRecord(cn, ou);
    const { title, body } = renderPr(record, SHIPPED_TEMPLATES, context);
    const html = renderGfmLikeGitHub(body);
    for (const tag of elements(html)) expect(TEMPLATE_TAGS).toContain(tag);
    expect(headings(html)).toEqual(["What is asked", "Who asks", "The CSR"]);
    expect(tagsOf(html).filter((t) => t === "li")).toHaveLength(listItems(body));
    // Each value reads back exactly (backticks and pipes are written as escaped text between
    // code spans, docs/display.md; line breaks would be escapes, so those cases are not compared).
    const subject = renderedText(/<li>Subject:.*?<\/li>/.exec(html)?.[0] ?? "");
    if (!cn.includes("\n")) expect(subject).toContain(`CN=${cn}`);
    if (!ou.includes("\n")) expect(subject).toContain(`OU=${ou}`);
    // The title shows the CN as code too, never as markup.
    const shownTitle = renderTitle(title);
    expect(elements(shownTitle).every((t) => t === "code")).toBe(true);
  });

  it("says when a value had line breaks, instead of letting them start a line", () => {
    const { body } = renderPr(hostileRecord("worker", "a\n- item"), SHIPPED_TEMPLATES, context);
    const html = renderGfmLikeGitHub(body);
    expect(tagsOf(html).filter((t) => t === "li")).toHaveLength(listItems(body));
    expect(codeSpans(html).join(" ")).not.toContain("\n");
  });
});
