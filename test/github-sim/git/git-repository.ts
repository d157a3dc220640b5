import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** A person as git records them: name, email and a time (ms since the epoch, from the simulator's clock). */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  readonly dateMs: number;
}

export interface GitCommitObject {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  readonly message: string;
  /** The `gpgsig` header (an SSH or PGP signature), when the commit is signed. */
  readonly signature: string | undefined;
  /** What the signature covers: the raw commit without its `gpgsig` header. */
  readonly payload: string;
}

export interface TreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: string;
  readonly sha: string;
}

export interface FileChange {
  readonly path: string;
  readonly status: "added" | "modified" | "removed";
  readonly additions: number;
  readonly deletions: number;
  readonly sha: string | undefined;
}

/** One edit to a tree: a blob at a path, or `undefined` content to remove it. */
export interface TreeEdit {
  readonly path: string;
  readonly blobSha: string | undefined;
  /** File mode; default 100644. */
  readonly mode?: "100644" | "100755";
}

export class GitError extends Error {
  readonly exitCode: number | undefined;
  constructor(message: string, exitCode: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = "GitError";
    this.exitCode = exitCode;
  }
}

interface RunOptions {
  readonly input?: string | Buffer;
  readonly env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. merge-tree's 1 for a conflict). */
  readonly okCodes?: readonly number[];
}

interface RunResult {
  readonly stdout: Buffer;
  readonly code: number;
}

const EMPTY_ENV_KEYS = ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY"];

function gitDate(ms: number): string {
  // Git's internal format ("<seconds> +0000") avoids any locale or timezone parsing.
  return `${Math.floor(ms / 1000)} +0000`;
}

function parseIdentity(line: string): GitIdentity {
  const m = /^(.*) <([^>]*)> (\d+) [+-]\d{4}$/.exec(line);
  if (m === null) throw new GitError(`unparseable identity line: ${line}`, undefined);
  return { name: m[1] ?? "", email: m[2] ?? "", dateMs: Number(m[3]) * 1000 };
}

/**
 * The only module that runs git. Wraps a bare repository and drives it with the git CLI through
 * execFile (never a shell), using plumbing commands so that every object is a real git object.
 */
export class GitRepository {
  readonly path: string;

  private constructor(repoPath: string) {
    this.path = repoPath;
  }

  static async createBare(parentDir: string, name: string): Promise<GitRepository> {
    const dir = await mkdtemp(path.join(parentDir, `${name.replace(/[^A-Za-z0-9._-]/g, "_")}-`));
    const repo = new GitRepository(dir);
    await repo.run(["init", "--bare", "--quiet", "--initial-branch=main", "."]);
    return repo;
  }

  private run(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of EMPTY_ENV_KEYS) env[k] = undefined;
    Object.assign(env, {
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      LC_ALL: "C",
      ...opts.env,
    });
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        ["-C", this.path, ...args],
        { env, encoding: "buffer", maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
          if (code === 0 || (opts.okCodes ?? []).includes(code)) {
            resolve({ stdout, code });
          } else {
            reject(
              new GitError(
                `git ${args.join(" ")} failed (${code}): ${stderr.toString().trim()}`,
                code,
                {
                  cause: error,
                },
              ),
            );
          }
        },
      );
      if (opts.input !== undefined) child.stdin?.end(opts.input);
      else child.stdin?.end();
    });
  }

  private async text(args: readonly string[], opts?: RunOptions): Promise<string> {
    return (await this.run(args, opts)).stdout.toString("utf8");
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.text(["hash-object", "-w", "--stdin"], { input: content })).trim();
  }

  async readBlob(sha: string): Promise<Buffer> {
    return (await this.run(["cat-file", "blob", sha])).stdout;
  }

  async objectType(sha: string): Promise<string | undefined> {
    const r = await this.run(["cat-file", "-t", sha], { okCodes: [128, 1] });
    return r.code === 0 ? r.stdout.toString().trim() : undefined;
  }

  /** Builds a tree from scratch or from a base tree with edits, through a throwaway index file. */
  async editTree(baseTree: string | undefined, edits: readonly TreeEdit[]): Promise<string> {
    const indexDir = await mkdtemp(path.join(tmpdir(), "gitsim-index-"));
    const env = { GIT_INDEX_FILE: path.join(indexDir, "index") };
    try {
      if (baseTree !== undefined) await this.run(["read-tree", baseTree], { env });
      else await this.run(["read-tree", "--empty"], { env });
      const lines = edits
        .map((e) =>
          e.blobSha === undefined
            ? `0 ${"0".repeat(40)}\t${e.path}`
            : `${e.mode ?? "100644"} ${e.blobSha}\t${e.path}`,
        )
        .join("\n");
      if (lines !== "")
        await this.run(["update-index", "--index-info"], { env, input: `${lines}\n` });
      return (await this.text(["write-tree"], { env })).trim();
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  async commitTree(args: {
    tree: string;
    parents: readonly string[];
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
    /** Sign with this SSH private key (git's `gpg.format=ssh`), as GitHub signs web-flow commits. */
    signingKeyPath?: string;
  }): Promise<string> {
    const env = {
      GIT_AUTHOR_NAME: args.author.name,
      GIT_AUTHOR_EMAIL: args.author.email,
      GIT_AUTHOR_DATE: gitDate(args.author.dateMs),
      GIT_COMMITTER_NAME: args.committer.name,
      GIT_COMMITTER_EMAIL: args.committer.email,
      GIT_COMMITTER_DATE: gitDate(args.committer.dateMs),
    };
    const parentArgs = args.parents.flatMap((p) => ["-p", p]);
    const sign =
      args.signingKeyPath === undefined
        ? []
        : ["-c", "gpg.format=ssh", "-c", `user.signingKey=${args.signingKeyPath}`];
    const signFlag = args.signingKeyPath === undefined ? [] : ["-S"];
    return (
      await this.text([...sign, "commit-tree", ...signFlag, args.tree, ...parentArgs, "-F", "-"], {
        env,
        input: args.message,
      })
    ).trim();
  }

  async readCommit(sha: string): Promise<GitCommitObject | undefined> {
    if ((await this.objectType(sha)) !== "commit") return undefined;
    const raw = await this.text(["cat-file", "commit", sha]);
    const split = raw.indexOf("\n\n");
    const header = split === -1 ? raw : raw.slice(0, split);
    const message = split === -1 ? "" : raw.slice(split + 2);
    let tree = "";
    const parents: string[] = [];
    let author: GitIdentity | undefined;
    let committer: GitIdentity | undefined;
    // A multi-line header (gpgsig) continues on lines that start with a space.
    const sigLines: string[] = [];
    const kept: string[] = [];
    let inSig = false;
    for (const line of header.split("\n")) {
      if (inSig && line.startsWith(" ")) {
        sigLines.push(line.slice(1));
        continue;
      }
      inSig = false;
      const sp = line.indexOf(" ");
      const key = line.slice(0, sp);
      const value = line.slice(sp + 1);
      if (key === "gpgsig") {
        inSig = true;
        sigLines.push(value);
        continue;
      }
      kept.push(line);
      if (key === "tree") tree = value;
      else if (key === "parent") parents.push(value);
      else if (key === "author") author = parseIdentity(value);
      else if (key === "committer") committer = parseIdentity(value);
    }
    if (author === undefined || committer === undefined) {
      throw new GitError(`commit ${sha} lacks author or committer`, undefined);
    }
    const signature = sigLines.length === 0 ? undefined : `${sigLines.join("\n")}\n`;
    const payload = `${kept.join("\n")}\n\n${message}`;
    return { sha, tree, parents, author, committer, message, signature, payload };
  }

  /** Full sha of a commit-ish (sha prefix, branch, tag), or undefined. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    if (rev.startsWith("-")) return undefined;
    const r = await this.run(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
      okCodes: [1, 128],
    });
    return r.code === 0 ? r.stdout.toString().trim() : undefined;
  }

  async readRef(ref: string): Promise<string | undefined> {
    const r = await this.run(["rev-parse", "--verify", "--quiet", ref], { okCodes: [1, 128] });
    return r.code === 0 ? r.stdout.toString().trim() : undefined;
  }

  /** All refs under a prefix such as "refs/heads/", sorted by name. */
  async listRefs(prefix: string): Promise<{ ref: string; sha: string }[]> {
    const out = await this.text(["for-each-ref", "--format=%(refname) %(objectname)", prefix]);
    return out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const [ref = "", sha = ""] = l.split(" ");
        return { ref, sha };
      });
  }

  /**
   * Moves a ref atomically. `expectedOld` makes it a compare-and-swap (40 zeros: must not exist);
   * returns false when the ref was not at the expected value.
   */
  async updateRef(ref: string, newSha: string, expectedOld?: string): Promise<boolean> {
    const args = ["update-ref", ref, newSha];
    if (expectedOld !== undefined) args.push(expectedOld);
    const r = await this.run(args, { okCodes: [128, 1] });
    return r.code === 0;
  }

  /** Points the bare repository's HEAD at a branch, so `git log` shows the default branch. */
  async setHead(branch: string): Promise<void> {
    await this.run(["symbolic-ref", "HEAD", `refs/heads/${branch}`]);
  }

  async deleteRef(ref: string): Promise<void> {
    await this.run(["update-ref", "-d", ref]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await this.run(["merge-base", "--is-ancestor", ancestor, descendant], {
      okCodes: [1],
    });
    return r.code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const r = await this.run(["merge-base", a, b], { okCodes: [1] });
    return r.code === 0 ? r.stdout.toString().trim() : undefined;
  }

  /** Three-way merge of two commits without a work tree: the merged tree, or undefined on conflict. */
  async mergeTrees(ours: string, theirs: string): Promise<string | undefined> {
    const r = await this.run(["merge-tree", "--write-tree", "--no-messages", ours, theirs], {
      okCodes: [1],
    });
    if (r.code !== 0) return undefined;
    return r.stdout.toString().split("\n")[0]?.trim();
  }

  /** Commits reachable from `include` and not from `exclude`, newest first (optionally touching a path). */
  async revList(args: {
    include: string;
    exclude?: string;
    path?: string;
    reverse?: boolean;
  }): Promise<string[]> {
    const argv = ["rev-list"];
    if (args.reverse === true) argv.push("--reverse");
    argv.push(args.include);
    if (args.exclude !== undefined) argv.push(`^${args.exclude}`);
    if (args.path !== undefined) argv.push("--", args.path);
    const out = await this.text(argv);
    return out.split("\n").filter((l) => l !== "");
  }

  async listTree(treeish: string, recursive = true): Promise<TreeEntry[]> {
    const out = await this.text(["ls-tree", ...(recursive ? ["-r"] : []), "-z", treeish]);
    return out
      .split("\0")
      .filter((l) => l !== "")
      .map((l) => {
        const tab = l.indexOf("\t");
        const [mode = "", type = "", sha = ""] = l.slice(0, tab).split(" ");
        return { mode, type, sha, path: l.slice(tab + 1) };
      });
  }

  /** The entry at a path in a commit or tree: a blob (file) or a tree (directory), or undefined. */
  async entryAt(
    treeish: string,
    filePath: string,
  ): Promise<{ type: "blob" | "tree"; sha: string } | undefined> {
    const out = await this.text(["ls-tree", "-z", treeish, "--", filePath]);
    const line = out.split("\0").find((l) => l.endsWith(`\t${filePath}`));
    if (line === undefined) return undefined;
    const [, type, sha = ""] = line.slice(0, line.indexOf("\t")).split(" ");
    return type === "blob" || type === "tree" ? { type, sha } : undefined;
  }

  /** File-level changes between two commits (or trees), with line counts. */
  async diff(from: string, to: string): Promise<FileChange[]> {
    const raw = await this.text(["diff-tree", "-r", "-z", "--no-renames", "--raw", from, to]);
    const numstat = await this.text([
      "diff-tree",
      "-r",
      "-z",
      "--no-renames",
      "--numstat",
      from,
      to,
    ]);
    const counts = new Map<string, { add: number; del: number }>();
    const ns = numstat.split("\0").filter((l) => l !== "");
    for (const item of ns) {
      const [add = "0", del = "0", p = ""] = item.split("\t");
      counts.set(p, { add: add === "-" ? 0 : Number(add), del: del === "-" ? 0 : Number(del) });
    }
    const parts = raw.split("\0").filter((l) => l !== "");
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const meta = (parts[i] ?? "").split(" ");
      const p = parts[i + 1] ?? "";
      const letter = meta[4] ?? "M";
      const c = counts.get(p) ?? { add: 0, del: 0 };
      const status = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
      changes.push({
        path: p,
        status,
        additions: c.add,
        deletions: c.del,
        sha: status === "removed" ? undefined : meta[3],
      });
    }
    return changes;
  }

  /** The size in bytes of a blob. */
  async blobSize(sha: string): Promise<number> {
    return Number((await this.text(["cat-file", "-s", sha])).trim());
  }

  /** Checks a commit's SSH signature against an allowed-signers file (as `git verify-commit` in a clone would). */
  async verifyCommit(sha: string, allowedSignersPath: string): Promise<boolean> {
    const r = await this.run(
      ["-c", `gpg.ssh.allowedSignersFile=${allowedSignersPath}`, "verify-commit", sha],
      { okCodes: [1] },
    );
    return r.code === 0;
  }

  async dispose(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
