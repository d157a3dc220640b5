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

export const protectionSchema = z.strictObject({
  required_approving_review_count: z.number().int().min(0).max(6).default(0),
  require_code_owner_reviews: z.boolean().default(false),
  dismiss_stale_reviews: z.boolean().default(false),
  required_status_checks: z.array(z.string().min(1)).default([]),
});

const repoSchema = z.strictObject({
  owner: login,
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "must be a repository name"),
  description: z.string().optional(),
  private: z.boolean().default(true),
  default_branch: z.string().min(1).default("main"),
  /** Initial files on the default branch, path to text content. */
  files: z.record(z.string().min(1), z.string()).default({}),
  collaborators: z.record(login, permission).default({}),
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
