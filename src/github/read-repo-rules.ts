/**
 * Config, policy and CODEOWNERS as they were at one commit (the merge commit's first parent, or
 * the default branch's tip), parsed at this boundary. Paths are fixed (docs/audit-repo.md).
 */
import type { PolicyAt } from "../core/approval/index.ts";
import { loadConfig, formatYamlError, type RepoConfig } from "../core/config/index.ts";
import { CODEOWNERS_PATHS } from "../core/github/codeowners.ts";
import { DEFAULT_POLICY, formatPolicyError, loadPolicy } from "../core/policy/index.ts";
import { CONFIG_PATH, POLICY_PATH } from "../core/record/layout.ts";
import type { GitHubApi, RepoRef } from "./github-api.ts";
import { readFileAt } from "./read-file-at.ts";

export interface RepoRulesAt {
  readonly config:
    | { readonly ok: true; readonly value: RepoConfig }
    | { readonly ok: false; readonly error: string };
  readonly policy: PolicyAt;
  readonly codeowners: { readonly path: string; readonly text: string } | undefined;
}

export async function readPolicyAt(api: GitHubApi, repo: RepoRef, ref: string): Promise<PolicyAt> {
  const file = await readFileAt(api, repo, POLICY_PATH, ref);
  if (file === undefined)
    return { ok: true, policy: DEFAULT_POLICY, source: "builtin", blobSha: null };
  const loaded = loadPolicy(file.text, POLICY_PATH);
  if (!loaded.ok) return { ok: false, error: loaded.errors.map(formatPolicyError).join("; ") };
  return { ok: true, policy: loaded.policy, source: "repository", blobSha: file.blobSha };
}

export async function readConfigAt(
  api: GitHubApi,
  repo: RepoRef,
  ref: string,
): Promise<RepoRulesAt["config"]> {
  const file = await readFileAt(api, repo, CONFIG_PATH, ref);
  const loaded = loadConfig(file?.text);
  if (!loaded.ok) return { ok: false, error: loaded.errors.map(formatYamlError).join("; ") };
  return { ok: true, value: loaded.config };
}

export async function readCodeownersAt(
  api: GitHubApi,
  repo: RepoRef,
  ref: string,
): Promise<RepoRulesAt["codeowners"]> {
  for (const path of CODEOWNERS_PATHS) {
    const file = await readFileAt(api, repo, path, ref);
    if (file !== undefined) return { path, text: file.text };
  }
  return undefined;
}

export async function readRepoRulesAt(
  api: GitHubApi,
  repo: RepoRef,
  ref: string,
): Promise<RepoRulesAt> {
  const [config, policy, codeowners] = await Promise.all([
    readConfigAt(api, repo, ref),
    readPolicyAt(api, repo, ref),
    readCodeownersAt(api, repo, ref),
  ]);
  return { config, policy, codeowners };
}
