/** A simulator seed where every GitHub check of preflight passes, and ways to break one thing. */
import type { SeedInput } from "../github-sim/seed/seed-schema.ts";
import { testSeed } from "../github-sim/tests/sim-fixture.ts";
import { APP_EVENTS, APP_PERMISSIONS } from "../../src/preflight/app-manifest.ts";

export const GOOD_CODEOWNERS = "/.github/ @acme/csr-approvers\n/clusters/ @acme/csr-approvers\n";

type Repo = NonNullable<SeedInput["repos"]>[number];
type App = NonNullable<SeedInput["app"]>;

export interface SeedChange {
  readonly files?: Readonly<Record<string, string | null>>;
  readonly repo?: (repo: Repo) => Repo;
  readonly app?: (app: App) => App;
}

export function goodSeed(change: SeedChange = {}): SeedInput {
  const base = testSeed({
    main: {
      required_approving_review_count: 1,
      require_code_owner_reviews: true,
      enforce_admins: true,
      bypass_pull_request_allowances: { users: [], teams: [], apps: ["csr-gitops"] },
    },
  });
  const [repo] = base.repos ?? [];
  if (repo === undefined || base.app === undefined)
    throw new Error("the seed has a repo and an app");
  const files: Record<string, string> = {
    ...repo.files,
    ".github/CODEOWNERS": GOOD_CODEOWNERS,
    ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
  };
  for (const [path, text] of Object.entries(change.files ?? {})) {
    if (text === null) Reflect.deleteProperty(files, path);
    else files[path] = text;
  }
  const goodRepo: Repo = { ...repo, files };
  const goodApp: App = {
    ...base.app,
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
  };
  return {
    ...base,
    repos: [(change.repo ?? ((r) => r))(goodRepo)],
    app: (change.app ?? ((a) => a))(goodApp),
  };
}
