/**
 * Builds audit repositories with the git CLI, the way the controller, GitHub and the app shape
 * them (docs/audit-repo.md): the app's record commit on its PR branch, GitHub's merge commit, the
 * app's receipt commits on the default branch signed with an SSH key that stands in for GitHub's
 * web-flow key. Records and receipts come from the project's own renderers (src/core/record).
 * Everything an attacker could do instead (hand-written trailers, another key, no signature, a
 * rewritten record) is one option away.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeCsrObject } from "../../../src/core/csr/decode.ts";
import { DEFAULT_POLICY, evaluate } from "../../../src/core/policy/index.ts";
import { buildRecord, renderRecord, type CsrRecord } from "../../../src/core/record/record.ts";
import {
  renderReceiptMessage,
  renderReceiptYaml,
  type CertificateReceipt,
  type DecisionReceipt,
  type GitHubPerson,
} from "../../../src/core/record/receipt.ts";
import {
  batchBranch,
  recordPath,
  decisionPath,
  certificatePath,
  type CsrKey,
} from "../../../src/core/record/layout.ts";
import { makeCsrObject, type MakeCsrObjectOptions } from "../../support/make-csr.ts";

export interface Identity {
  readonly name: string;
  readonly email: string;
}

export const APP_BOT_ID = 41898282;
export const APP: Identity = {
  name: "csr-gitops[bot]",
  email: `${APP_BOT_ID}+csr-gitops[bot]@users.noreply.github.com`,
};
export const GITHUB: Identity = { name: "GitHub", email: "noreply@github.com" };
export const PEOPLE = {
  alice: { login: "alice", id: 1001 },
  bob: { login: "bob", id: 1002 },
  carol: { login: "carol", id: 1003 },
  mallory: { login: "mallory", id: 1666 },
} as const satisfies Record<string, GitHubPerson>;

export function personIdentity(p: GitHubPerson): Identity {
  return { name: p.login, email: `${p.id}+${p.login}@users.noreply.github.com` };
}

/** An SSH key pair made by ssh-keygen, as git signs with it. */
export interface SshKey {
  readonly privateKeyFile: string;
  readonly publicKeyLine: string;
}

export function makeSshKey(dir: string, name: string): SshKey {
  const file = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file]);
  return { privateKeyFile: file, publicKeyLine: readFileSync(`${file}.pub`, "utf8").trim() };
}

export interface PullRequest {
  readonly number: number;
  readonly key: CsrKey;
  readonly branch: string;
  readonly recordPath: string;
  readonly recordBlob: string;
  readonly record: CsrRecord;
  readonly head: string;
}

export type Signer = "app" | "none" | SshKey;

export interface CommitOptions {
  readonly branch: string;
  readonly files: Readonly<Record<string, string | null>>;
  readonly message: string;
  readonly author: Identity;
  readonly committer?: Identity;
  readonly signer?: Signer;
  /** Extra parents after the branch tip (a merge). */
  readonly mergeParents?: readonly string[];
}

export class AuditRepoBuilder {
  readonly dir: string;
  readonly root: string;
  readonly appKey: SshKey;
  /** A file holding the app key's public line: what `audit --signing-key` reads. */
  readonly appKeyFile: string;
  readonly cluster: string;
  private clockMs: number;
  private nextPr = 1;

  private constructor(root: string, cluster: string, startMs: number) {
    this.root = root;
    this.dir = join(root, "repo");
    this.cluster = cluster;
    this.clockMs = startMs;
    this.appKey = makeSshKey(root, "web-flow");
    this.appKeyFile = `${this.appKey.privateKeyFile}.pub`;
  }

  /** A repository whose first commit holds CODEOWNERS (made by a person, as a reviewed setup). */
  static create(
    options: { codeowners?: string; cluster?: string; startMs?: number } = {},
  ): AuditRepoBuilder {
    const root = mkdtempSync(join(tmpdir(), "csr-audit-"));
    const builder = new AuditRepoBuilder(
      root,
      options.cluster ?? "prod-eu",
      options.startMs ?? Date.parse("2026-11-01T09:00:00Z"),
    );
    builder.git(["init", "-q", "-b", "main", builder.dir], root);
    builder.commit({
      branch: "main",
      files: {
        "README.md": "# CSR audit log\n",
        ".github/CODEOWNERS":
          options.codeowners ?? "/clusters/ @alice @bob @carol\n.github/ @alice\n",
      },
      message: "Audit repository",
      author: personIdentity(PEOPLE.alice),
      signer: "none",
    });
    return builder;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Moves the clock on (minutes) and returns the new time. */
  tick(minutes = 1): Date {
    this.clockMs += minutes * 60_000;
    return new Date(this.clockMs);
  }

  now(): Date {
    return new Date(this.clockMs);
  }

  git(
    args: readonly string[],
    cwd = this.dir,
    env: Record<string, string> = {},
    input?: string,
  ): string {
    return execFileSync("git", args, {
      cwd,
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_CONFIG_NOSYSTEM: "1",
        LC_ALL: "C",
        ...env,
      },
      encoding: "utf8",
      ...(input === undefined ? {} : { input }),
    });
  }

  tip(branch: string): string {
    return this.git(["rev-parse", `refs/heads/${branch}`]).trim();
  }

  blobOf(commit: string, path: string): string {
    return this.git(["rev-parse", `${commit}:${path}`]).trim();
  }

  /** One commit from file edits, on top of the branch tip (created from main when new). */
  commit(o: CommitOptions): string {
    const parent = this.refExists(o.branch)
      ? this.tip(o.branch)
      : this.refExists("main")
        ? this.tip("main")
        : undefined;
    const index = join(this.root, `index-${randomUUID()}`);
    const env = { GIT_INDEX_FILE: index };
    if (parent === undefined) this.git(["read-tree", "--empty"], this.dir, env);
    else this.git(["read-tree", parent], this.dir, env);
    for (const [path, content] of Object.entries(o.files)) {
      if (content === null) this.git(["update-index", "--force-remove", path], this.dir, env);
      else {
        const blob = this.git(["hash-object", "-w", "--stdin"], this.dir, {}, content).trim();
        this.git(["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], this.dir, env);
      }
    }
    const tree = this.git(["write-tree"], this.dir, env).trim();
    rmSync(index, { force: true });
    const committer = o.committer ?? o.author;
    const date = `${Math.floor(this.clockMs / 1000)} +0000`;
    const signer = o.signer ?? "none";
    const signArgs =
      signer === "none"
        ? []
        : [
            "-c",
            "gpg.format=ssh",
            "-c",
            `user.signingkey=${signer === "app" ? this.appKey.privateKeyFile : signer.privateKeyFile}`,
          ];
    const parents = [...(parent === undefined ? [] : [parent]), ...(o.mergeParents ?? [])].flatMap(
      (p) => ["-p", p],
    );
    const sha = this.git(
      [
        ...signArgs,
        "commit-tree",
        tree,
        ...parents,
        ...(signer === "none" ? [] : ["-S"]),
        "-F",
        "-",
      ],
      this.dir,
      {
        GIT_AUTHOR_NAME: o.author.name,
        GIT_AUTHOR_EMAIL: o.author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: date,
      },
      o.message,
    ).trim();
    this.git(["update-ref", `refs/heads/${o.branch}`, sha]);
    return sha;
  }

  private refExists(branch: string): boolean {
    try {
      this.git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** What the controller does: the record of a new CSR on its own branch, committed by the app. */
  openRecordPr(csr: MakeCsrObjectOptions & { name?: string; uid?: string } = {}): PullRequest {
    return this.openRecordPrFor(this.csrObject(csr));
  }

  /** The same for a CSR object as the apiserver returned it (plain JSON). */
  openRecordPrFor(object: Record<string, unknown>): PullRequest {
    const built = this.recordOf(object);
    const branch = `csr-gitops/${this.cluster}/${built.key.uid}`;
    const head = this.commit({
      branch,
      files: { [built.path]: renderRecord(built.record) },
      message: `Record ${this.cluster}/${built.key.name}`,
      author: APP,
      signer: "app",
    });
    return {
      number: this.nextPr++,
      key: built.key,
      branch,
      recordPath: built.path,
      recordBlob: this.blobOf(head, built.path),
      record: built.record,
      head,
    };
  }

  /** The record the controller would write for a CSR object, on the current default branch. */
  private recordOf(object: Record<string, unknown>): {
    key: CsrKey;
    path: string;
    record: CsrRecord;
  } {
    const { name, uid } = object.metadata as { name: string; uid: string };
    const decoded = decodeCsrObject(object);
    const verdict = evaluate(DEFAULT_POLICY, decoded);
    const built = buildRecord({
      cluster: this.cluster,
      recordedAt: this.tick(),
      decoded,
      specRequest: (object.spec as { request: string }).request,
      verdict,
      policy: {
        source: "builtin",
        blobSha: null,
        configBlobSha: null,
        baseCommit: this.tip("main"),
      },
      supersedes: [],
    });
    if (!built.ok) throw new Error(built.message);
    const key = { cluster: this.cluster, name, uid };
    const path = recordPath(key);
    if (!path.ok) throw new Error(path.message);
    return { key, path: path.value, record: built.record };
  }

  private csrObject(
    csr: MakeCsrObjectOptions & { name?: string; uid?: string },
  ): Record<string, unknown> {
    const uid = csr.uid ?? randomUUID();
    return makeCsrObject({
      creationTimestamp: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      ...csr,
      name: csr.name ?? `csr-${uid.slice(0, 5)}`,
      uid,
    });
  }

  /**
   * What the controller does for CSRs that arrive together: one PR on a batch branch
   * (`csr-gitops/<cluster>/batch-<16 hex>`) whose one commit adds every record. Each element is
   * one CSR of the same PR.
   */
  openBatchPr(
    csrs: readonly (MakeCsrObjectOptions & { name?: string; uid?: string })[],
  ): PullRequest[] {
    const built = csrs.map((csr) => this.recordOf(this.csrObject(csr)));
    const branch = batchBranch(built.map((b) => b.key));
    if (!branch.ok) throw new Error(branch.message);
    const head = this.commit({
      branch: branch.value,
      files: Object.fromEntries(built.map((b) => [b.path, renderRecord(b.record)])),
      message: `Record ${String(built.length)} CSRs of ${this.cluster}`,
      author: APP,
      signer: "app",
    });
    const number = this.nextPr++;
    return built.map((b) => ({
      number,
      key: b.key,
      branch: branch.value,
      recordPath: b.path,
      recordBlob: this.blobOf(head, b.path),
      record: b.record,
      head,
    }));
  }

  /**
   * What the app does for a CSR the policy denies when the config says `policyDenied: deny`: no
   * PR; the record and the denial receipt go straight to the default branch as the app's signed
   * commits (`together`: in one commit, otherwise the record first).
   */
  denyAtOnce(
    csr: MakeCsrObjectOptions & { name?: string; uid?: string },
    together = false,
  ): { record: PullRequest; commits: string[] } {
    const built = this.recordOf(this.csrObject(csr));
    const text = renderRecord(built.record);
    const recordCommit = together
      ? undefined
      : this.commit({
          branch: "main",
          files: { [built.path]: text },
          message: `Record ${this.cluster}/${built.key.name}`,
          author: APP,
          signer: "app",
        });
    const record: PullRequest = {
      number: 0,
      key: built.key,
      branch: "main",
      recordPath: built.path,
      recordBlob: this.git(["hash-object", "--stdin"], this.dir, {}, text).trim(),
      record: built.record,
      head: recordCommit ?? "",
    };
    const receipt = this.decision(record, undefined, {
      decision: "denied",
      pullRequest: null,
      closedBy: null,
      reason: built.record.verdict.reasons.map((r) => r.code).join(", "),
    });
    const receiptCommit = this.writeReceipt(receipt, {
      extraFiles: together ? { [built.path]: text } : {},
    });
    return {
      record,
      commits: [...(recordCommit === undefined ? [] : [recordCommit]), receiptCommit],
    };
  }

  /** What GitHub does when a person merges the PR: a merge commit by GitHub on main. */
  merge(pr: PullRequest, ...more: readonly PullRequest[]): string {
    this.tick();
    return this.commit({
      branch: "main",
      files: Object.assign(
        this.filesOf(pr.branch, pr.recordPath),
        ...more.map((p) => this.filesOf(p.branch, p.recordPath)),
      ) as Record<string, string>,
      message: `Merge pull request #${pr.number} from acme/${pr.branch}\n\nRecord ${pr.key.name}`,
      author: personIdentity(PEOPLE.carol),
      committer: GITHUB,
      signer: "app",
      mergeParents: [this.tip(pr.branch)],
    });
  }

  private filesOf(branch: string, path: string): Record<string, string> {
    return { [path]: this.git(["show", `refs/heads/${branch}:${path}`]) };
  }

  /** The decision receipt the app would write for this PR. */
  decision(
    pr: PullRequest,
    merge: string | undefined,
    over: Partial<DecisionReceipt> = {},
  ): DecisionReceipt {
    const approved = over.decision === undefined || over.decision === "approved";
    return {
      kind: "DecisionReceipt",
      decision: "approved",
      cluster: pr.key.cluster,
      csrName: pr.key.name,
      csrUid: pr.key.uid,
      requestSha256: pr.record.request.sha256,
      record: pr.recordPath,
      recordBlob: pr.recordBlob,
      pullRequest: pr.number,
      mergeCommit: approved ? (merge ?? null) : null,
      mergedBy: approved ? PEOPLE.carol : null,
      approvedBy: approved ? [PEOPLE.alice, PEOPLE.bob] : [],
      requiredApprovals: pr.record.verdict.requiredApprovals,
      policyBlob: "builtin",
      closedBy: null,
      reason: null,
      refused: [],
      decidedAt: this.tick().toISOString(),
      ...over,
    };
  }

  /** A receipt commit on main: by default the app's, signed with the web-flow stand-in key. */
  writeReceipt(
    receipt: DecisionReceipt | CertificateReceipt,
    how: {
      author?: Identity;
      committer?: Identity;
      signer?: Signer;
      message?: string;
      /** Other files the same commit adds (a record written together with its receipt). */
      extraFiles?: Record<string, string>;
    } = {},
  ): string {
    const key = { cluster: receipt.cluster, name: receipt.csrName, uid: receipt.csrUid };
    const path = receipt.kind === "DecisionReceipt" ? decisionPath(key) : certificatePath(key);
    if (!path.ok) throw new Error(path.message);
    return this.commit({
      branch: "main",
      files: { ...how.extraFiles, [path.value]: renderReceiptYaml(receipt) },
      message: how.message ?? renderReceiptMessage(receipt),
      author: how.author ?? APP,
      ...(how.committer === undefined ? {} : { committer: how.committer }),
      signer: how.signer ?? "app",
    });
  }

  /** The whole happy path: record PR, merge, approval receipt. */
  approve(csr: MakeCsrObjectOptions & { name?: string; uid?: string } = {}): {
    pr: PullRequest;
    merge: string;
    receipt: string;
  } {
    const pr = this.openRecordPr(csr);
    const merge = this.merge(pr);
    const receipt = this.writeReceipt(this.decision(pr, merge));
    return { pr, merge, receipt };
  }

  writeFile(path: string, text: string): string {
    const file = join(this.root, path);
    writeFileSync(file, text);
    return file;
  }
}
