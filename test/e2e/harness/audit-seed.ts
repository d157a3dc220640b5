/**
 * The GitHub side of a harness run: the acme organisation, its protected audit repository with
 * CODEOWNERS, and the csr-gitops app with its webhook. People act through the REST API with their
 * own tokens, as they would on github.com:
 * - alice and bob: code owners of `clusters/` (team csr-approvers), who approve;
 * - carol: write access, a code owner of `.github/` only (team security), who merges;
 * - dave: write access, no code owner, who closes the denied pull request.
 */
import type { SeedInput } from "../../github-sim/seed/seed-schema.ts";

export const OWNER = "acme";
export const REPO = "csr-audit";
export const APP_ID = 4242;
export const INSTALLATION_ID = 77;
export const WEBHOOK_SECRET = "demo-webhook-secret-0123456789";

export const PEOPLE = {
  alice: "ghp_demo_alice_token_0001",
  bob: "ghp_demo_bob_token_00002",
  carol: "ghp_demo_carol_token_0003",
  dave: "ghp_demo_dave_token_00004",
} as const;
export type Person = keyof typeof PEOPLE;

export const CODEOWNERS = "/.github/ @acme/security\n/clusters/ @acme/csr-approvers\n";

export function auditSeed(webhookUrl: string): SeedInput {
  return {
    users: Object.entries(PEOPLE).map(([login, token]) => ({
      login,
      name: `${login.slice(0, 1).toUpperCase()}${login.slice(1)}`,
      email: `${login}@acme.example`,
      token,
    })),
    orgs: [
      {
        login: OWNER,
        members: Object.keys(PEOPLE),
        teams: [
          { slug: "security", members: ["carol"] },
          { slug: "csr-approvers", parent: "security", members: ["alice", "bob"] },
        ],
      },
    ],
    repos: [
      {
        owner: OWNER,
        name: REPO,
        files: {
          "README.md": "# CSR audit\n\nEvery CertificateSigningRequest decision, reviewed.\n",
          ".github/CODEOWNERS": CODEOWNERS,
          ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
        },
        collaborators: { alice: "write", bob: "write", carol: "write", dave: "write" },
        teams: { security: "write", "csr-approvers": "write" },
        // As the README's installation steps say: two code-owner approvals to merge; the app
        // bypasses the rules for its receipt commits.
        protection: {
          main: {
            required_approving_review_count: 2,
            require_code_owner_reviews: true,
            dismiss_stale_reviews: true,
            bypass_actors: { apps: ["csr-gitops"] },
          },
        },
      },
    ],
    app: {
      id: APP_ID,
      slug: "csr-gitops",
      owner: OWNER,
      generate_key: true,
      webhook: { url: webhookUrl, secret: WEBHOOK_SECRET },
      installations: [{ id: INSTALLATION_ID, account: OWNER, repositories: [REPO] }],
    },
  };
}
