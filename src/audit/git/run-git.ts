/**
 * Runs git for the audit reader: execFile (never a shell), a fixed locale, no prompts, and the
 * user's configuration kept except what would change the machine-readable output.
 */
import { execFile, spawn } from "node:child_process";

/** Settings that would alter `git log` output if a user's config turned them on. */
const FIXED_CONFIG = [
  "-c",
  "log.showSignature=false",
  "-c",
  "color.ui=false",
  "-c",
  "core.quotePath=false",
  "-c",
  "log.decorate=false",
];

function env(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat" };
}

export class GitFailure extends Error {
  override readonly name = "GitFailure";
}

/** Runs one git command to completion and returns its standard output as bytes. */
export function runGit(repo: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-C", repo, ...FIXED_CONFIG, ...args],
      { env: env(), encoding: "buffer", maxBuffer: 2 * 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else
          reject(
            new GitFailure(`git ${args[0] ?? ""} failed: ${stderr.toString("utf8").trim()}`, {
              cause: error,
            }),
          );
      },
    );
  });
}

/**
 * `git cat-file --batch` once for many objects: one process however many objects are read.
 * Missing objects are left out of the result.
 */
export function readObjects(
  repo: string,
  shas: readonly string[],
): Promise<Map<string, { type: string; content: Buffer }>> {
  const result = new Map<string, { type: string; content: Buffer }>();
  if (shas.length === 0) return Promise.resolve(result);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, ...FIXED_CONFIG, "cat-file", "--batch"], {
      env: env(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => errors.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new GitFailure(`git cat-file failed: ${Buffer.concat(errors).toString().trim()}`));
        return;
      }
      const parsed = parseBatchOutput(Buffer.concat(chunks));
      if (!parsed.ok) reject(new GitFailure(parsed.message));
      else {
        for (const [sha, object] of parsed.objects) result.set(sha, object);
        resolve(result);
      }
    });
    child.stdin.end(shas.map((s) => `${s}\n`).join(""));
  });
}

/** Parses `cat-file --batch` output: `<sha> <type> <size>\n<content>\n` or `<name> missing\n`. */
export function parseBatchOutput(
  out: Buffer,
):
  | { ok: true; objects: Map<string, { type: string; content: Buffer }> }
  | { ok: false; message: string } {
  const objects = new Map<string, { type: string; content: Buffer }>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol === -1) return { ok: false, message: "cat-file output ends inside a header" };
    const header = out.toString("latin1", at, eol).split(" ");
    at = eol + 1;
    if (header[1] === "missing" || header[1] === "ambiguous") continue;
    const [sha = "", type = "", sizeText = ""] = header;
    const size = Number(sizeText);
    if (!Number.isSafeInteger(size) || at + size > out.length)
      return { ok: false, message: `cat-file output for ${sha} is cut short` };
    objects.set(sha, { type, content: out.subarray(at, at + size) });
    at += size + 1;
  }
  return { ok: true, objects };
}
