/**
 * The audit repo snapshot read on the GitHub simulator: the optional policy and templates are read
 * only when their folder's listing names them, so an audit repo without them costs two reads; each
 * file present is used, and a broken one still stops everything.
 */
import { readFileSync } from "node:fs";
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { readAuditRepoSnapshot } from "../../src/controller/audit-repo-snapshot.ts";
import { builtinTemplates } from "../../src/controller/builtin-templates.ts";
import {
  BODY_TEMPLATE_PATH,
  POLICY_PATH,
  TITLE_TEMPLATE_PATH,
} from "../../src/core/record/layout.ts";
import { newSim, OWNER, REPO, testSeed, TOKENS } from "../github-sim/tests/sim-fixture.ts";

const R = { owner: OWNER, repo: REPO };

async function read(files: Record<string, string>) {
  const seed = testSeed();
  const sim = await newSim({
    ...seed,
    repos: (seed.repos ?? []).map((r) => ({
      ...r,
      files: {
        ...r.files,
        ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
        ...files,
      },
    })),
  });
  const paths: string[] = [];
  const gh = new Octokit({
    auth: TOKENS.alice,
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        const request = new Request(input, init);
        paths.push(
          decodeURIComponent(new URL(request.url).pathname).replace(`/repos/${OWNER}/${REPO}`, ""),
        );
        return sim.fetch(request);
      },
    },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const head = (await gh.rest.git.getRef({ ...R, ref: "heads/main" })).data.object.sha;
  paths.length = 0;
  const result = await readAuditRepoSnapshot(gh, R, "main", head, builtinTemplates());
  return { result, paths };
}

describe("reading the audit repo snapshot", () => {
  it("all three optional files share one folder (one listing covers them)", () => {
    const dir = (path: string) => path.slice(0, path.lastIndexOf("/"));
    expect(new Set([POLICY_PATH, TITLE_TEMPLATE_PATH, BODY_TEMPLATE_PATH].map(dir)).size).toBe(1);
  });

  it("without policy or templates: the config and one listing, built-in defaults", async () => {
    const { result, paths } = await read({});
    expect(paths.sort()).toEqual([
      "/contents/.github/csr-gitops",
      "/contents/.github/csr-gitops.yml",
    ]);
    expect(result).toMatchObject({
      ok: true,
      snapshot: { policySource: "builtin", policyBlobSha: null, templates: builtinTemplates() },
    });
  });

  it("reads and uses exactly the optional files present", async () => {
    const policy = readFileSync("policy/example-strict.yaml", "utf8");
    const { result, paths } = await read({
      [POLICY_PATH]: policy,
      [TITLE_TEMPLATE_PATH]: "CSR {{ csrName }}\n",
    });
    expect(paths.sort()).toEqual([
      "/contents/.github/csr-gitops",
      "/contents/.github/csr-gitops.yml",
      `/contents/${POLICY_PATH}`,
      `/contents/${TITLE_TEMPLATE_PATH}`,
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.snapshot.policySource).toBe("repository");
    expect(result.snapshot.policyBlobSha).toMatch(/^[0-9a-f]{40}$/);
    expect(result.snapshot.templates.title).not.toEqual(builtinTemplates().title);
    expect(result.snapshot.templates.body).toEqual(builtinTemplates().body);
  });

  it("a broken policy present in the folder stops everything, naming the file", async () => {
    const { result } = await read({
      [POLICY_PATH]:
        "apiVersion: csr-gitops/policy-v1\nsigners:\n  example.com/x:\n    keys:\n      rsaMinBits: many\n",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(new Set(result.errors.map((e) => e.file))).toEqual(new Set([POLICY_PATH]));
  });
});
