/**
 * Whether a commit is the app's own: authored by the app's bot account, committed by that bot or
 * by GitHub's web-flow identity (what github.com uses for commits it signs), and signed by a key
 * the audit trusts. Names and emails are text anyone can write into a commit; the signature is
 * what makes them count, so all three must hold.
 */
import type { HistoryCommit, Person } from "./history.ts";

export interface AppIdentity {
  /** The app's slug: its bot is `<slug>[bot]`. */
  readonly slug: string;
  /** The bot account's numeric user id, when known: pins the noreply email exactly. */
  readonly botUserId: number | undefined;
}

const WEB_FLOW_EMAIL = "noreply@github.com";

function isBot(app: AppIdentity, who: Person): boolean {
  const bot = `${app.slug}[bot]`;
  if (who.login !== undefined) return who.login === bot;
  const m = /^(\d+)\+(.+)@users\.noreply\.github\.com$/.exec(who.email);
  if (m?.[2] !== bot || who.name !== bot) return false;
  return app.botUserId === undefined || Number(m[1]) === app.botUserId;
}

export type AppCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly problem:
        "identity" | "signature-missing" | "signature-invalid" | "signature-unchecked";
      readonly detail: string;
    };

export function checkAppCommit(app: AppIdentity, commit: HistoryCommit): AppCheck {
  const committerOk =
    isBot(app, commit.committer) ||
    (commit.committer.email === WEB_FLOW_EMAIL && commit.committer.name === "GitHub");
  if (!isBot(app, commit.author) || !committerOk)
    return {
      ok: false,
      problem: "identity",
      detail: `authored by ${commit.author.name} <${commit.author.email}> and committed by ${commit.committer.name} <${commit.committer.email}>, not ${app.slug}[bot]`,
    };
  const s = commit.signature;
  switch (s.kind) {
    case "verified":
      return { ok: true };
    case "unsigned":
      return { ok: false, problem: "signature-missing", detail: "the commit is not signed" };
    case "bad":
      return { ok: false, problem: "signature-invalid", detail: s.reason };
    case "unchecked":
      return { ok: false, problem: "signature-unchecked", detail: s.reason };
  }
}
