import { z } from "zod";

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "must be a GitHub login");
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a lowercase team slug");
const permission = z.enum(["read", "triage", "write", "maintain", "admin"]);

const userSchema = z.strictObject({
  login,
  name: z.string().optional(),
  email: z.email().optional(),
  /** A personal access token (`ghp_...`) that tests use to act as this person. */
  token: z
    .string()
    .regex(/^ghp_[A-Za-z0-9_]{8,}$/, "must look like a personal access token (ghp_...)")
    .optional(),
  site_admin: z.boolean().default(false),
});

const teamSchema = z.strictObject({
  slug,
  name: z.string().optional(),
  description: z.string().optional(),
  parent: slug.optional(),
  members: z.array(login).default([]),
  maintainers: z.array(login).default([]),
  /** Invited, not yet accepted: membership state "pending". */
  pending: z.array(login).default([]),
});

const orgSchema = z.strictObject({
  login,
  name: z.string().optional(),
  members: z.array(login).default([]),
  teams: z.array(teamSchema).default([]),
});

/** People, teams (slugs of the repository's org) and apps (slugs) named by a protection rule. */
export const actorListSchema = z.strictObject({
  users: z.array(login).default([]),
  teams: z.array(slug).default([]),
  apps: z.array(slug).default([]),
});
export type ActorList = z.output<typeof actorListSchema>;

const NOBODY: ActorList = { users: [], teams: [], apps: [] };

/**
 * A branch protection rule, in GitHub's terms (docs: "Managing a branch protection rule"), plus a
 * rulesets-style bypass list. `require_pull_request` ("Require a pull request before merging")
 * defaults to true when any pull-request setting is given, as GitHub's API ties them together.
 */
export const protectionSchema = z
  .strictObject({
    require_pull_request: z.boolean().optional(),
    required_approving_review_count: z.number().int().min(0).max(6).default(0),
    require_code_owner_reviews: z.boolean().default(false),
    dismiss_stale_reviews: z.boolean().default(false),
    /** The most recent push must be approved by someone other than its pusher. */
    require_last_push_approval: z.boolean().default(false),
    /** Only these (and repository admins) may dismiss reviews; absent: anyone with write access. */
    dismissal_restrictions: actorListSchema.optional(),
    /** "Allow specified actors to bypass required pull requests": push directly, merge without reviews. */
    bypass_pull_request_allowances: actorListSchema.default(NOBODY),
    required_status_checks: z.array(z.string().min(1)).default([]),
    /** "Require branches to be up to date before merging" (`strict`). */
    strict_status_checks: z.boolean().default(false),
    /** "Do not allow bypassing the above settings": admins are bound too. GitHub's default: false. */
    enforce_admins: z.boolean().default(false),
    /** A ruleset's bypass list on this branch: these actors go around every rule above. */
    bypass_actors: actorListSchema.default(NOBODY),
  })
  .transform((p) => ({
    ...p,
    require_pull_request:
      p.require_pull_request ??
      (p.required_approving_review_count > 0 ||
        p.require_code_owner_reviews ||
        p.dismiss_stale_reviews ||
        p.require_last_push_approval ||
        p.dismissal_restrictions !== undefined ||
        p.bypass_pull_request_allowances.users.length +
          p.bypass_pull_request_allowances.teams.length +
          p.bypass_pull_request_allowances.apps.length >
          0),
  }));

const repoSchema = z.strictObject({
  owner: login,
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "must be a repository name"),
  description: z.string().optional(),
  private: z.boolean().default(true),
  default_branch: z.string().min(1).default("main"),
  /** Initial files on the default branch, path to text content. */
  files: z.record(z.string().min(1), z.string()).default({}),
  collaborators: z.record(login, permission).default({}),
  /** Team access to the repository, by team slug of the owning org (PUT /orgs/{org}/teams/{slug}/repos/...). */
  teams: z.record(slug, permission).default({}),
  /** Branch protection by branch name. */
  protection: z.record(z.string().min(1), protectionSchema).default({}),
});

const installationSchema = z.strictObject({
  id: z.number().int().positive(),
  account: login,
  /** "all", or the names of the selected repositories of the account. */
  repositories: z.union([z.literal("all"), z.array(z.string().min(1))]).default("all"),
  permissions: z.record(z.string(), z.enum(["read", "write", "admin"])).optional(),
});

const appSchema = z
  .strictObject({
    id: z.number().int().positive(),
    slug,
    name: z.string().optional(),
    owner: login,
    /** How the simulator learns the app's public key; exactly one of these. */
    private_key_path: z.string().min(1).optional(),
    private_key: z
      .string()
      .includes("PRIVATE KEY", { error: "must be a PEM private key" })
      .optional(),
    public_key: z.string().includes("PUBLIC KEY", { error: "must be a PEM public key" }).optional(),
    generate_key: z.boolean().optional(),
    webhook: z.strictObject({ url: z.url(), secret: z.string().min(1) }).optional(),
    permissions: z.record(z.string(), z.enum(["read", "write", "admin"])).default({
      contents: "write",
      pull_requests: "write",
      checks: "write",
      issues: "write",
      members: "read",
      metadata: "read",
    }),
    events: z.array(z.string()).default(["pull_request", "pull_request_review", "check_run"]),
    installations: z.array(installationSchema).default([]),
  })
  .refine(
    (a) =>
      [
        a.private_key_path,
        a.private_key,
        a.public_key,
        a.generate_key === true ? true : undefined,
      ].filter((x) => x !== undefined).length === 1,
    {
      error: "give exactly one of private_key_path, private_key, public_key, generate_key: true",
    },
  );

export const seedSchema = z.strictObject({
  /** Where the simulator's clock starts (ISO 8601); the current time when absent. */
  clock_start: z.iso.datetime().optional(),
  users: z.array(userSchema).default([]),
  orgs: z.array(orgSchema).default([]),
  repos: z.array(repoSchema).default([]),
  app: appSchema.optional(),
  rate_limit: z
    .strictObject({
      primary_per_hour: z.number().int().positive().default(5000),
      secondary_per_minute: z.number().int().positive().default(80),
      secondary_per_hour: z.number().int().positive().default(500),
    })
    .default({ primary_per_hour: 5000, secondary_per_minute: 80, secondary_per_hour: 500 }),
});

/** The seed as written in YAML (defaults optional). */
export type SeedInput = z.input<typeof seedSchema>;
/** The seed after validation, with defaults filled in. */
export type Seed = z.output<typeof seedSchema>;
export type SeedProtection = z.output<typeof protectionSchema>;
