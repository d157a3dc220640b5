/**
 * GitHub checks of the audit repository, made with the app's own credentials: the installation,
 * its permissions and events, branch protection of the default branch, CODEOWNERS (present,
 * no errors, covering what must be owned, owning teams with write access), config and policy.
 * Returns the policy's signer names too: the Kubernetes checks ask for approve on each.
 */
import {
  findCodeowners,
  parseCodeowners,
  parseOwner,
  CODEOWNERS_PATHS,
} from "../core/github/codeowners.ts";
import { formatYamlError, loadConfig } from "../core/config/index.ts";
import { DEFAULT_POLICY, formatPolicyError, loadPolicy } from "../core/policy/index.ts";
import { CONFIG_PATH, POLICY_PATH } from "../core/record/layout.ts";
import { httpStatus, type GitHubApi, type RepoRef } from "../github/github-api.ts";
import { readFileAt } from "../github/read-file-at.ts";
import { missingEvents, missingPermissions } from "./app-manifest.ts";
import type { CheckResult } from "./check-result.ts";
import { pathsToOwn, unownedPaths } from "./codeowners-coverage.ts";

export interface GitHubPreflight {
  /** Authenticated as the app (JWT). */
  readonly app: GitHubApi;
  /** Authenticated as the given installation. */
  readonly installation: (id: number) => Promise<GitHubApi>;
  readonly repo: RepoRef;
  readonly clusters: readonly string[];
}

export interface GitHubPreflightResult {
  readonly results: readonly CheckResult[];
  /** The signerNames of the policy on the default branch (the default policy's when absent or broken). */
  readonly signers: readonly string[];
}

const SECTION = "github";

function errorText(error: unknown): string {
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  return status === undefined ? message : `HTTP ${String(status)}: ${message}`;
}

export async function checkGitHub(input: GitHubPreflight): Promise<GitHubPreflightResult> {
  const { repo } = input;
  const full = `${repo.owner}/${repo.repo}`;
  const results: CheckResult[] = [];
  const pass = (name: string, detail?: string): void => {
    results.push({
      section: SECTION,
      name,
      status: "pass",
      ...(detail === undefined ? {} : { detail }),
    });
  };
  const fail = (name: string, detail: string, fix: string): void => {
    results.push({ section: SECTION, name, status: "fail", detail, fix });
  };
  const warn = (name: string, detail: string, fix: string): void => {
    results.push({ section: SECTION, name, status: "warn", detail, fix });
  };
  const defaultSigners = Object.keys(DEFAULT_POLICY.signers);

  // The app and its installation on the audit repository.
  let slug: string;
  try {
    const self = await input.app.rest.apps.getAuthenticated();
    slug = self.data?.slug ?? "csr-gitops";
    pass("authenticate as the GitHub App", `app ${slug}`);
  } catch (error) {
    fail(
      "authenticate as the GitHub App",
      errorText(error),
      "check APP_ID, the private key and GHE_HOST",
    );
    return { results, signers: defaultSigners };
  }
  let installationId: number;
  let api: GitHubApi;
  try {
    const inst = await input.app.rest.apps.getRepoInstallation({ ...repo });
    installationId = inst.data.id;
    pass(`app installed on ${full}`, `installation ${String(installationId)}`);
    const missing = missingPermissions(inst.data.permissions);
    if (missing.length === 0) pass("installation permissions as in app.yml");
    else
      fail(
        "installation permissions as in app.yml",
        `missing ${missing.join(", ")}`,
        "grant them in the app's settings (Permissions & events) as app.yml lists, then accept the new permissions on the installation",
      );
    const events = missingEvents(inst.data.events);
    if (events.length === 0) pass("installation subscribed to app.yml's events");
    else
      fail(
        "installation subscribed to app.yml's events",
        `missing ${events.join(", ")}`,
        "subscribe the app to these events in its settings (Permissions & events), as app.yml lists",
      );
    api = await input.installation(installationId);
  } catch (error) {
    fail(
      `app installed on ${full}`,
      errorText(error),
      `install the app on ${full} (the app's page, Install App) and check CSR_GITOPS_AUDIT_REPO`,
    );
    return { results, signers: defaultSigners };
  }

  // Branch protection of the default branch.
  let branch = "main";
  try {
    branch = (await api.rest.repos.get({ ...repo })).data.default_branch;
    const p = (await api.rest.repos.getBranchProtection({ ...repo, branch })).data;
    const reviews = p.required_pull_request_reviews;
    if (reviews?.require_code_owner_reviews === true)
      pass(`${branch} requires pull requests with code owner review`);
    else
      fail(
        `${branch} requires pull requests with code owner review`,
        reviews === undefined
          ? "pull requests are not required"
          : "code owner review is not required",
        `protect ${branch}: Require a pull request before merging, Require review from Code Owners`,
      );
    if (p.enforce_admins?.enabled === true) pass(`${branch} protection applies to admins`);
    else
      warn(
        `${branch} protection applies to admins`,
        "repository admins can merge without code owner review",
        `protect ${branch}: Do not allow bypassing the above settings`,
      );
    const apps = reviews?.bypass_pull_request_allowances?.apps ?? [];
    if (apps.some((a) => a?.slug === slug)) pass(`${slug} may push receipts to ${branch}`);
    else
      fail(
        `${slug} may push receipts to ${branch}`,
        `${slug} is not allowed to bypass required pull requests`,
        `protect ${branch}: Allow specified actors to bypass required pull requests, add the app ${slug}`,
      );
  } catch (error) {
    if (httpStatus(error) === 404)
      fail(
        `${branch} is protected`,
        "no branch protection",
        `protect ${branch}: require pull requests with review from Code Owners, and let the app bypass (README, branch protection recipe)`,
      );
    else
      fail(
        `read protection of ${branch}`,
        errorText(error),
        "grant the app administration: read (app.yml) so preflight can read branch protection",
      );
  }

  // CODEOWNERS.
  const files = new Map<string, string | undefined>();
  for (const path of [...CODEOWNERS_PATHS, CONFIG_PATH, POLICY_PATH]) {
    try {
      files.set(path, (await readFileAt(api, repo, path, branch))?.text);
    } catch (error) {
      fail(`read ${path}`, errorText(error), "grant the app contents: read (app.yml)");
      return { results, signers: defaultSigners };
    }
  }
  const codeowners = findCodeowners((path) => files.get(path));
  if (codeowners === undefined) {
    fail(
      "CODEOWNERS present",
      `none of ${CODEOWNERS_PATHS.join(", ")} on ${branch}`,
      "add .github/CODEOWNERS owning /.github/ and /clusters/ (docs/audit-repo.md)",
    );
  } else {
    pass("CODEOWNERS present", codeowners.path);
    try {
      const errs = (await api.rest.repos.codeownersErrors({ ...repo, ref: branch })).data.errors;
      if (errs.length === 0) pass("CODEOWNERS has no errors");
      else
        fail(
          "CODEOWNERS has no errors",
          errs.map((e) => `${codeowners.path}:${String(e.line)}: ${e.kind}`).join("; "),
          `fix ${codeowners.path} as GitHub shows it (the file's page lists each error); owners must exist and have write access`,
        );
    } catch (error) {
      fail(
        "CODEOWNERS has no errors",
        errorText(error),
        "check that the app can read the repository",
      );
    }
    const { rules } = parseCodeowners(codeowners.text);
    const unowned = unownedPaths(rules, pathsToOwn(input.clusters, codeowners.path));
    if (unowned.length === 0) pass("CODEOWNERS owns records, config, policy and itself");
    else
      fail(
        "CODEOWNERS owns records, config, policy and itself",
        `nobody owns ${unowned.map((u) => u.what).join(", ")}`,
        `add lines to ${codeowners.path} such as "/.github/ @org/team" and "/clusters/ @org/team"`,
      );
    const teams = new Set<string>();
    for (const rule of rules)
      for (const owner of rule.owners) {
        const parsed = parseOwner(owner);
        if (parsed?.kind === "team") teams.add(`${parsed.org}/${parsed.slug}`);
      }
    for (const team of [...teams].sort()) {
      const [org = "", slugOfTeam = ""] = team.split("/");
      const name = `team @${team} has write access to ${full}`;
      try {
        const res = await api.rest.teams.checkPermissionsForRepoInOrg({
          org,
          team_slug: slugOfTeam,
          owner: repo.owner,
          repo: repo.repo,
          headers: { accept: "application/vnd.github.v3.repository+json" },
        });
        const perms = (res.data as { permissions?: Record<string, boolean> } | undefined)
          ?.permissions;
        if (
          perms === undefined ||
          perms.push === true ||
          perms.maintain === true ||
          perms.admin === true
        )
          pass(name);
        else
          fail(
            name,
            "read access only",
            `give @${team} write access to ${full}: code owners need write access`,
          );
      } catch (error) {
        fail(
          name,
          httpStatus(error) === 404
            ? "no such team, or no access to the repository"
            : errorText(error),
          `create the team or give it write access to ${full}; or fix the owner in ${codeowners.path}`,
        );
      }
    }
  }

  // Config and policy on the default branch.
  const config = loadConfig(files.get(CONFIG_PATH));
  if (config.ok)
    pass(
      `${CONFIG_PATH} valid`,
      files.get(CONFIG_PATH) === undefined ? "absent: defaults" : undefined,
    );
  else
    fail(
      `${CONFIG_PATH} valid`,
      config.errors.map(formatYamlError).join("; "),
      `correct ${CONFIG_PATH} (docs/audit-repo.md, Config) in a reviewed pull request`,
    );
  const policyText = files.get(POLICY_PATH);
  if (policyText === undefined) {
    pass(`${POLICY_PATH} valid`, "absent: the built-in default policy");
    return { results, signers: defaultSigners };
  }
  const policy = loadPolicy(policyText, POLICY_PATH);
  if (!policy.ok) {
    fail(
      `${POLICY_PATH} valid`,
      policy.errors.map(formatPolicyError).join("; "),
      `correct ${POLICY_PATH} (docs/policy.md) in a reviewed pull request`,
    );
    return { results, signers: defaultSigners };
  }
  pass(`${POLICY_PATH} valid`);
  return { results, signers: Object.keys(policy.policy.signers) };
}
