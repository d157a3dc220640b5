/**
 * What the controller reads from the audit repository's default branch before it opens a PR:
 * the branch's commit, the config, the policy and the templates (built-in ones when absent; a
 * listing of their folder says which exist, so absent ones cost no read), with
 * the blob SHAs the record cites. Any broken file makes the whole snapshot an error naming file,
 * line and field: the controller then opens no PR for that repository (it never runs under a
 * guessed config or policy). Read at one commit; `AuditRepoSnapshots` (snapshot-cache.ts) reuses it
 * while the default branch stays at that commit.
 */
import { loadConfig, type RepoConfig } from "../core/config/index.ts";
import { DEFAULT_POLICY, loadPolicy, type Policy } from "../core/policy/index.ts";
import {
  BODY_TEMPLATE_PATH,
  CONFIG_PATH,
  POLICY_PATH,
  TITLE_TEMPLATE_PATH,
} from "../core/record/layout.ts";
import { parseTemplate, type PrTemplates } from "../core/record/render-pr.ts";
import type { YamlFileError } from "../core/yaml/load-yaml.ts";
import { listDirectory, readFile } from "../github/files.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";

/**
 * The folder of the optional files: the policy's, which the templates share (a test checks it; a
 * file moved elsewhere would never be listed, so it would never be read).
 */
const OPTIONAL_FILES_DIR = POLICY_PATH.slice(0, POLICY_PATH.lastIndexOf("/"));

export interface AuditRepoSnapshot {
  readonly baseBranch: string;
  readonly baseCommit: string;
  readonly config: RepoConfig;
  readonly configBlobSha: string | null;
  readonly policy: Policy;
  readonly policySource: "builtin" | "repository";
  readonly policyBlobSha: string | null;
  readonly templates: PrTemplates;
}

export type SnapshotResult =
  | { readonly ok: true; readonly snapshot: AuditRepoSnapshot }
  | { readonly ok: false; readonly errors: readonly YamlFileError[] };

/** The four files at `baseCommit` (the head of `baseBranch` when the caller read it). */
export async function readAuditRepoSnapshot(
  gh: GitHub,
  repo: RepoRef,
  baseBranch: string,
  baseCommit: string,
  builtinTemplates: PrTemplates,
): Promise<SnapshotResult> {
  // Read at the commit, not the branch name: every file comes from the same commit. The policy and
  // templates are optional and share a folder: one listing says which exist, and only those are
  // read (an audit repo with none of them costs 2 reads, not 4).
  const [configFile, present] = await Promise.all([
    readFile(gh, repo, CONFIG_PATH, baseCommit),
    listDirectory(gh, repo, OPTIONAL_FILES_DIR, baseCommit),
  ]);
  const [policyFile, titleFile, bodyFile] = await Promise.all(
    [POLICY_PATH, TITLE_TEMPLATE_PATH, BODY_TEMPLATE_PATH].map((path) =>
      present === undefined || present.has(path)
        ? readFile(gh, repo, path, baseCommit)
        : Promise.resolve(undefined),
    ),
  );
  const errors: YamlFileError[] = [];
  const config = loadConfig(configFile?.text, CONFIG_PATH);
  if (!config.ok) errors.push(...config.errors);
  let policy: Policy = DEFAULT_POLICY;
  if (policyFile !== undefined) {
    const loaded = loadPolicy(policyFile.text, POLICY_PATH);
    if (loaded.ok) policy = loaded.policy;
    else errors.push(...loaded.errors);
  }
  let { title, body } = builtinTemplates;
  if (titleFile !== undefined) {
    const parsed = parseTemplate(titleFile.text, TITLE_TEMPLATE_PATH);
    if (parsed.ok) title = parsed.template;
    else errors.push(...parsed.errors);
  }
  if (bodyFile !== undefined) {
    const parsed = parseTemplate(bodyFile.text, BODY_TEMPLATE_PATH);
    if (parsed.ok) body = parsed.template;
    else errors.push(...parsed.errors);
  }
  if (!config.ok || errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    snapshot: {
      baseBranch,
      baseCommit,
      config: config.config,
      configBlobSha: configFile?.sha ?? null,
      policy,
      policySource: policyFile === undefined ? "builtin" : "repository",
      policyBlobSha: policyFile?.sha ?? null,
      templates: { title, body },
    },
  };
}
