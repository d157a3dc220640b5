/**
 * The in-process SSH signature check agrees with `git verify-commit` (the reference) on commits
 * git signed, and refuses what git refuses: another key, an altered commit, a malformed signature.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawCommit } from "../../src/audit/git/raw-commit.ts";
import { checkCommitSignature, parseTrustedKeys } from "../../src/audit/git/ssh-signature.ts";
import {
  AuditRepoBuilder,
  makeSshKey,
  personIdentity,
  PEOPLE,
} from "./support/audit-repo-builder.ts";
import { auditRepos } from "./support/audit-repos.ts";

const repo = auditRepos();

function gitVerifies(r: AuditRepoBuilder, allowedSigners: string, sha: string): boolean {
  try {
    execFileSync(
      "git",
      ["-c", `gpg.ssh.allowedSignersFile=${allowedSigners}`, "verify-commit", sha],
      {
        cwd: r.dir,
        stdio: "ignore",
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
      },
    );
    return true;
  } catch {
    return false;
  }
}

describe("SSH commit signatures", () => {
  it("agree with git verify-commit", () => {
    const r = repo();
    const allowed = r.writeFile(
      "allowed",
      `noreply@github.com namespaces="git" ${r.appKey.publicKeyLine}\n`,
    );
    const other = makeSshKey(r.root, "other");
    const commits = {
      app: r.commit({
        branch: "main",
        files: { a: "1" },
        message: "signed\n\nbody with ünïcode\n",
        author: personIdentity(PEOPLE.alice),
        signer: "app",
      }),
      other: r.commit({
        branch: "main",
        files: { b: "1" },
        message: "other",
        author: personIdentity(PEOPLE.alice),
        signer: other,
      }),
      none: r.commit({
        branch: "main",
        files: { c: "1" },
        message: "unsigned",
        author: personIdentity(PEOPLE.alice),
      }),
    };
    const keys = parseTrustedKeys(readFileSync(allowed, "utf8"));
    if (!keys.ok) throw new Error(keys.message);
    for (const [name, sha] of Object.entries(commits)) {
      const raw = parseRawCommit(Buffer.from(r.git(["cat-file", "commit", sha]), "utf8"));
      if (raw === undefined) throw new Error("unreadable commit");
      const ours = checkCommitSignature(raw.signature, raw.signedPayload, keys.keys);
      expect([name, ours.kind === "verified"]).toEqual([name, gitVerifies(r, allowed, sha)]);
    }
    expect(gitVerifies(r, allowed, commits.app)).toBe(true);
  });

  it("refuse a signed commit whose content was altered", () => {
    const r = repo();
    const sha = r.commit({
      branch: "main",
      files: { a: "1" },
      message: "Csr-Gitops-Decision: denied\n",
      author: personIdentity(PEOPLE.alice),
      signer: "app",
    });
    const keys = parseTrustedKeys(r.appKey.publicKeyLine);
    if (!keys.ok) throw new Error(keys.message);
    const raw = Buffer.from(r.git(["cat-file", "commit", sha]), "utf8");
    const altered = parseRawCommit(Buffer.from(raw.toString("utf8").replace("denied", "approved")));
    if (altered === undefined) throw new Error("unreadable");
    expect(checkCommitSignature(altered.signature, altered.signedPayload, keys.keys)).toEqual({
      kind: "bad",
      reason: "the SSH signature does not verify: the commit was altered or forged",
    });
    const original = parseRawCommit(raw);
    if (original === undefined) throw new Error("unreadable");
    expect(checkCommitSignature(original.signature, original.signedPayload, keys.keys).kind).toBe(
      "verified",
    );
    expect(
      checkCommitSignature(
        "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----",
        original.signedPayload,
        keys.keys,
      ).kind,
    ).toBe("bad");
    expect(checkCommitSignature(original.signature, original.signedPayload, undefined).kind).toBe(
      "unchecked",
    );
  });

  it("trusted keys: a key that does not parse is an error, not an empty trust list", () => {
    expect(parseTrustedKeys("ssh-ed25519 AAAAnotakey").ok).toBe(false);
    expect(parseTrustedKeys("# only a comment\n").ok).toBe(false);
    const dir = repo();
    const file = join(dir.root, "keys");
    writeFileSync(file, `${dir.appKey.publicKeyLine}\n`);
    expect(parseTrustedKeys(readFileSync(file, "utf8"))).toMatchObject({
      ok: true,
      keys: [{ type: "ssh-ed25519" }],
    });
  });
});
