import { execFileSync } from "node:child_process";

/** Runs git in a bare repository the way a person checking the audit log would. */
export function git(repoPath: string, ...args: string[]): string {
  return execFileSync("git", ["-C", repoPath, ...args], { encoding: "utf8" });
}
