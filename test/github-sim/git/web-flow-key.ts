import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

/** The principal GitHub's web-flow commits are signed as (its committer email). */
export const WEB_FLOW_PRINCIPAL = "noreply@github.com";

/**
 * The simulator's stand-in for GitHub's web-flow signing key: an ed25519 SSH key made per
 * simulator, with an allowed-signers file so `git verify-commit` in a clone can check commits
 * GitHub would sign (merges, and commits an app makes through the API without author/committer).
 */
export interface WebFlowKey {
  readonly privateKeyPath: string;
  /** `ssh-ed25519 AAAA... comment` */
  readonly publicKey: string;
  /** A `gpg.ssh.allowedSignersFile` naming noreply@github.com with this key. */
  readonly allowedSignersPath: string;
}

export async function createWebFlowKey(dir: string): Promise<WebFlowKey> {
  const privateKeyPath = path.join(dir, "web-flow-ed25519");
  await promisify(execFile)("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "GitHub web-flow (simulator)",
    "-f",
    privateKeyPath,
  ]);
  const publicKey = (await readFile(`${privateKeyPath}.pub`, "utf8")).trim();
  const allowedSignersPath = path.join(dir, "web-flow-allowed-signers");
  await writeFile(allowedSignersPath, `${WEB_FLOW_PRINCIPAL} namespaces="git" ${publicKey}\n`);
  return { privateKeyPath, publicKey, allowedSignersPath };
}
