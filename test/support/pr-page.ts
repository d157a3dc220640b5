/**
 * One pull request as GitHub shows it, as a self-contained HTML file: the title, state, labels,
 * the body and each comment rendered as GitHub-flavoured markdown (render-gfm.ts), reviews and
 * the check run, with GitHub-like styling inline (no network, no scripts). What the demo writes
 * for each PR, so a newcomer can read the product's main screen without GitHub.
 *
 * Like GitHub, the markdown's own HTML is kept (`<sub>`, hidden `<!-- -->` markers); GitHub then
 * sanitizes it, here the page's Content-Security-Policy forbids every script, frame and remote
 * load. (test/support/render-gfm.ts, for assertions, escapes HTML instead.)
 */

/** Markdown as GitHub renders it: GFM, raw HTML kept (the CSP below keeps it inert). */
export function renderGfmLikeGitHub(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
}

/** A PR title as GitHub shows it: text, with `code` spans. */
export function renderTitle(title: string): string {
  return title
    .split(/(`[^`]+`)/)
    .map((part) =>
      part.length > 2 && part.startsWith("`") && part.endsWith("`")
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : escapeHtml(part),
    )
    .join("");
}
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

export interface PrPageComment {
  readonly user: string;
  readonly body: string;
  readonly at: string;
}

export interface PrPage {
  readonly repo: string;
  readonly number: number;
  readonly title: string;
  readonly state: "open" | "closed" | "merged";
  readonly author: string;
  readonly baseRef: string;
  readonly headRef: string;
  readonly labels: readonly string[];
  readonly body: string;
  /** Reviews, comments and events in time order. */
  readonly timeline: readonly (
    | { readonly kind: "comment"; readonly comment: PrPageComment }
    | {
        readonly kind: "review";
        readonly user: string;
        readonly state: string;
        readonly at: string;
      }
    | { readonly kind: "event"; readonly text: string; readonly at: string }
  )[];
  readonly checks: readonly {
    readonly name: string;
    readonly conclusion: string | null;
    readonly title: string | null;
  }[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
body{margin:0;background:#fff;color:#1f2328;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
main{max-width:1012px;margin:24px auto;padding:0 16px}
.repo{color:#59636e;font-size:14px}
h1.title{font-size:32px;font-weight:400;margin:4px 0 8px;word-wrap:break-word}
h1.title .num{color:#59636e}h1.title code{font-size:85%;padding:.2em .4em;background:#818b981f;border-radius:6px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.state{display:inline-block;padding:5px 12px;border-radius:2em;color:#fff;font-weight:500;margin-right:8px}
.state.open{background:#1f883d}.state.merged{background:#8250df}.state.closed{background:#cf222e}
.meta{color:#59636e;padding-bottom:16px;border-bottom:1px solid #d1d9e0;margin-bottom:16px}
.labels{margin:8px 0}.label{display:inline-block;padding:0 7px;margin:0 4px 4px 0;font-size:12px;font-weight:500;line-height:18px;border-radius:2em;background:#ddf4ff;color:#0969da;border:1px solid #b6e3ff}
.box{border:1px solid #d1d9e0;border-radius:6px;margin:16px 0}
.box-head{background:#f6f8fa;border-bottom:1px solid #d1d9e0;padding:8px 16px;border-radius:6px 6px 0 0;color:#59636e}
.box-head b{color:#1f2328}
.markdown-body{padding:16px;word-wrap:break-word}
.markdown-body>*:first-child{margin-top:0}.markdown-body>*:last-child{margin-bottom:0}
.markdown-body p,.markdown-body ul,.markdown-body ol,.markdown-body table,.markdown-body pre{margin:0 0 16px}
.markdown-body h1,.markdown-body h2,.markdown-body h3{margin:24px 0 16px;font-weight:600;line-height:1.25}
.markdown-body h3{font-size:1.25em}
.markdown-body ul,.markdown-body ol{padding-left:2em}
.markdown-body code{padding:.2em .4em;font-size:85%;background:#818b981f;border-radius:6px;font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,monospace;white-space:break-spaces}
.markdown-body pre{padding:16px;overflow:auto;font-size:85%;background:#f6f8fa;border-radius:6px}
.markdown-body pre code{padding:0;background:transparent;font-size:100%}
.markdown-body table{border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto}
.markdown-body th,.markdown-body td{padding:6px 13px;border:1px solid #d1d9e0}
.markdown-body th{font-weight:600}.markdown-body tr:nth-child(2n){background:#f6f8fa}
.markdown-body sub{color:#59636e}
.event{color:#59636e;padding:4px 16px}
.review.APPROVED b.s{color:#1f883d}.review.CHANGES_REQUESTED b.s{color:#cf222e}
.check{padding:8px 16px;border-top:1px solid #d1d9e0}.check:first-child{border-top:0}
.ok{color:#1f883d}.bad{color:#cf222e}.neutral{color:#59636e}
`;

function checkClass(conclusion: string | null): string {
  if (conclusion === "success") return "ok";
  if (conclusion === "failure" || conclusion === "action_required") return "bad";
  return "neutral";
}

/** The page, as one HTML document. Markdown is rendered as GitHub would (raw HTML stays inert). */
export function renderPrPage(pr: PrPage): string {
  const e = escapeHtml;
  const timeline = pr.timeline
    .map((item) => {
      switch (item.kind) {
        case "comment":
          return `<div class="box"><div class="box-head"><b>${e(item.comment.user)}</b> commented ${e(item.comment.at)}</div><div class="markdown-body">${renderGfmLikeGitHub(item.comment.body)}</div></div>`;
        case "review":
          return `<div class="event review ${e(item.state)}"><b>${e(item.user)}</b> <b class="s">${e(item.state.toLowerCase().replace("_", " "))}</b> these changes ${e(item.at)}</div>`;
        case "event":
          return `<div class="event">${e(item.text)} ${e(item.at)}</div>`;
      }
    })
    .join("\n");
  const checks = pr.checks
    .map(
      (c) =>
        `<div class="check"><b class="${checkClass(c.conclusion)}">${e(c.conclusion ?? "pending")}</b> <b>${e(c.name)}</b>${c.title === null ? "" : ` — ${e(c.title)}`}</div>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(pr.title)} · Pull Request #${String(pr.number)} · ${e(pr.repo)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${STYLE}</style></head>
<body><main>
<div class="repo">${e(pr.repo)}</div>
<h1 class="title">${renderTitle(pr.title)} <span class="num">#${String(pr.number)}</span></h1>
<div class="meta"><span class="state ${pr.state}">${pr.state[0]?.toUpperCase() ?? ""}${pr.state.slice(1)}</span><b>${e(pr.author)}</b> wants to merge into <code>${e(pr.baseRef)}</code> from <code>${e(pr.headRef)}</code>
<div class="labels">${pr.labels.map((l) => `<span class="label">${e(l)}</span>`).join("")}</div></div>
<div class="box"><div class="box-head"><b>${e(pr.author)}</b> opened this pull request</div><div class="markdown-body">${renderGfmLikeGitHub(pr.body)}</div></div>
${timeline}
${checks === "" ? "" : `<div class="box">${checks}</div>`}
</main></body></html>
`;
}
