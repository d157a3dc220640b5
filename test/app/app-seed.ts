/**
 * The app's seed for the scenarios: an org with a security team and its child csr-approvers team
 * (one pending invitation, one member with read access only), the audit repo with CODEOWNERS and
 * config, and the app with its webhook. No test-runner imports: the benchmark uses it too.
 */
import type { SeedInput } from "../github-sim/seed/seed-schema.ts";

export const OWNER = "acme";
export const REPO = "csr-audit";
export const R = { owner: OWNER, repo: REPO };
export const CLUSTER = "prod";
export const APP_ID = 4242;
export const INSTALLATION_ID = 77;
export const SECRET = "app-webhook-secret-for-tests";
export const ALICE_TOKEN = "ghp_alice_app_scenarios_0001";
export const CODEOWNERS = "/.github/ @acme/security\n/clusters/ @acme/csr-approvers\n";

export function appSeed(url: string, files: Record<string, string> = {}): SeedInput {
  return {
    users: [
      { login: "alice", token: ALICE_TOKEN },
      { login: "bob" },
      { login: "carol" },
      { login: "dave" },
      { login: "erin" },
      { login: "frank" },
      { login: "mallory" },
    ],
    orgs: [
      {
        login: OWNER,
        members: ["alice", "bob", "carol", "dave", "erin", "frank", "mallory"],
        teams: [
          { slug: "security", members: ["carol"] },
          {
            slug: "csr-approvers",
            parent: "security",
            members: ["alice", "bob", "frank"],
            pending: ["erin"],
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
          ".github/CODEOWNERS": CODEOWNERS,
          ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
          ...files,
        },
        collaborators: {
          alice: "write",
          bob: "write",
          carol: "write",
          dave: "write",
          erin: "write",
          frank: "read",
          mallory: "write",
        },
      },
    ],
    app: {
      id: APP_ID,
      slug: "csr-gitops",
      owner: OWNER,
      generate_key: true,
      webhook: { url, secret: SECRET },
      installations: [{ id: INSTALLATION_ID, account: OWNER, repositories: [REPO] }],
    },
  };
}
