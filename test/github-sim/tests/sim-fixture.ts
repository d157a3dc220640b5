import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { onTestFinished } from "vitest";
import type { SeedInput } from "../seed/seed-schema.ts";
import { startServer } from "../server.ts";
import { GitHubSimulator, type SimulatorOptions } from "../simulator.ts";

export const OWNER = "acme";
export const REPO = "csr-audit";
export const APP_ID = 4242;
export const INSTALLATION_ID = 77;
export const TOKENS = {
  alice: "ghp_alice_test_token_0001",
  bob: "ghp_bob_test_token_0002",
  carol: "ghp_carol_test_token_0003",
  mallory: "ghp_mallory_test_token_04",
} as const;

/** The seed most tests use: an org, a protected audit repo with CODEOWNERS, and the app. */
export function testSeed(
  protection: SeedInput["repos"] extends (infer R)[] | undefined
    ? R extends { protection?: infer P }
      ? P
      : never
    : never = {},
): SeedInput {
  return {
    users: [
      { login: "alice", name: "Alice", email: "alice@example.com", token: TOKENS.alice },
      { login: "bob", name: "Bob", email: "bob@example.com", token: TOKENS.bob },
      { login: "carol", token: TOKENS.carol },
      { login: "mallory", token: TOKENS.mallory },
    ],
    orgs: [
      {
        login: OWNER,
        members: ["alice", "bob", "carol"],
        teams: [
          { slug: "security" },
          {
            slug: "csr-approvers",
            parent: "security",
            members: ["alice", "bob"],
            pending: ["carol"],
          },
        ],
      },
    ],
    repos: [
      {
        owner: OWNER,
        name: REPO,
        files: {
          "README.md": "# audit\n",
          ".github/CODEOWNERS": "/clusters/ @acme/csr-approvers\n",
          ".github/csr-gitops.yml": "requiredApprovals: 2\n",
        },
        collaborators: { alice: "write", bob: "write", carol: "write" },
        // The owning team needs write access itself to be a code owner.
        teams: { "csr-approvers": "write" },
        protection,
      },
    ],
    app: {
      id: APP_ID,
      slug: "csr-gitops",
      owner: OWNER,
      generate_key: true,
      installations: [{ id: INSTALLATION_ID, account: OWNER, repositories: [REPO] }],
    },
  };
}

/** What went wrong inside the simulator during a test, though every request may have "succeeded". */
export class SimulatorViolations extends Error {
  override readonly name = "SimulatorViolations";
  readonly violations: readonly string[];
  constructor(violations: readonly string[]) {
    super(`the simulator recorded violations:\n${violations.join("\n")}`);
    this.violations = violations;
  }
}

/**
 * Closes the simulator, then fails if it recorded any violation: a response off GitHub's schema
 * or a webhook payload the schema refused (those requests still succeed, so a test that only
 * checks results would pass).
 */
export async function closeAndCheck(sim: GitHubSimulator): Promise<void> {
  const violations = [...sim.violations];
  await sim.close();
  if (violations.length > 0) throw new SimulatorViolations(violations);
}

/**
 * The only way simulator tests create a simulator (a test checks this): responses are validated,
 * and when the test finishes the simulator is closed and its violations must be empty.
 */
export async function createSim(opts: Partial<SimulatorOptions> = {}): Promise<GitHubSimulator> {
  const sim = await GitHubSimulator.create({ seed: testSeed(), validateResponses: true, ...opts });
  onTestFinished(() => closeAndCheck(sim));
  return sim;
}

export async function newSim(seed: SeedInput = testSeed()): Promise<GitHubSimulator> {
  return createSim({ seed });
}

/** The app's client, authenticated as the installation exactly as the app does it (over HTTP when given a server's base URL). */
export function appOctokit(sim: GitHubSimulator, baseUrl?: string): Octokit {
  const privateKey = sim.appPrivateKey();
  if (privateKey === undefined) throw new Error("seed must generate the app key");
  return new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID },
    // With a base URL the client goes over real HTTP to a running server; otherwise in-process.
    ...(baseUrl === undefined ? { request: { fetch: sim.fetch } } : { baseUrl }),
  });
}

export function userOctokit(sim: GitHubSimulator, token: string): Octokit {
  return new Octokit({ auth: token, request: { fetch: sim.fetch } });
}

/** Opens a one-file PR the app's way: base ref, new branch, PUT contents on it, create PR. */
export async function openRecordPr(
  octokit: Octokit,
  branch: string,
  path: string,
  content: string,
): Promise<number> {
  const base = await octokit.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
  await octokit.rest.git.createRef({
    owner: OWNER,
    repo: REPO,
    ref: `refs/heads/${branch}`,
    sha: base.data.object.sha,
  });
  await octokit.rest.repos.createOrUpdateFileContents({
    owner: OWNER,
    repo: REPO,
    path,
    branch,
    message: `Add ${path}`,
    content: Buffer.from(content).toString("base64"),
  });
  const pr = await octokit.rest.pulls.create({
    owner: OWNER,
    repo: REPO,
    head: `${OWNER}:${branch}`,
    base: "main",
    title: `Approve ${path}`,
  });
  return pr.data.number;
}

/** A simulator served over real HTTP on 127.0.0.1, with Octokit clients pointed at it. */
export interface HttpSim {
  readonly sim: GitHubSimulator;
  readonly url: string;
  /** The app's installation client, over HTTP. */
  readonly app: Octokit;
  /** A person's client (a seed token), over HTTP. */
  readonly user: (token: string) => Octokit;
}

/** Like newSim, but every request goes over HTTP to a server the test stops at its end. */
export async function httpSim(seed: SeedInput = testSeed()): Promise<HttpSim> {
  const sim = await newSim(seed);
  const server = await startServer(sim, { port: 0 });
  onTestFinished(() => server.close());
  return {
    sim,
    url: server.url,
    app: appOctokit(sim, server.url),
    user: (token) => new Octokit({ auth: token, baseUrl: server.url }),
  };
}
