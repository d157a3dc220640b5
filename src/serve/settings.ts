/**
 * Every setting of `csr-gitops serve`, read from the environment once, by one schema. Probot's own
 * variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, ...) are parsed here too, so one
 * error message lists everything missing or invalid, and nothing else reads process.env.
 * docs/configuration.md is the table of these settings; a test keeps the two in step.
 */
import { z } from "zod";
import { isClusterName } from "../core/record/layout.ts";

/** One served cluster: its folder name in the audit repo and how to reach it. */
export interface ClusterSetting {
  readonly name: string;
  /** A kubeconfig context, or "in-cluster" for the pod's ServiceAccount. */
  readonly context: string;
}

const bool = z.enum(["true", "false"]).transform((v) => v === "true");

const clusters = z.string().transform((text, ctx): ClusterSetting[] => {
  const out: ClusterSetting[] = [];
  for (const entry of text.split(",").map((e) => e.trim())) {
    const [name = "", context = "", ...rest] = entry.split("=");
    if (!isClusterName(name) || context === "" || rest.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `"${entry}" is not NAME=CONTEXT (NAME a DNS label, CONTEXT a kubeconfig context or in-cluster)`,
      });
      return z.NEVER;
    }
    if (out.some((c) => c.name === name)) {
      ctx.addIssue({ code: "custom", message: `cluster "${name}" is listed twice` });
      return z.NEVER;
    }
    out.push({ name, context });
  }
  return out;
});

const repo = z
  .string()
  .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be OWNER/NAME")
  .transform((v) => {
    const [owner = "", name = ""] = v.split("/");
    return { owner, name };
  });

const seconds = (min: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(max)
    .meta({ description: `${min}..${max}` });

/** The environment as `serve` reads it. Field descriptions feed docs/configuration.md. */
export const SettingsSchema = z
  .object({
    APP_ID: z.coerce.number().int().positive().meta({ description: "GitHub App id." }),
    PRIVATE_KEY: z.string().optional().meta({
      description: "GitHub App private key (PEM). One of PRIVATE_KEY or PRIVATE_KEY_PATH.",
    }),
    PRIVATE_KEY_PATH: z.string().optional().meta({
      description: "File holding the GitHub App private key.",
    }),
    // Probot falls back to "development" when unset, which would let anyone forge a merge webhook.
    WEBHOOK_SECRET: z
      .string()
      .refine((v) => v.trim().length >= 16, "must be at least 16 characters")
      .meta({
        description:
          "Secret GitHub signs webhooks with. Required: serve refuses to start without it (Probot would default to 'development').",
      }),
    WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks").meta({
      description: "Path of the webhook endpoint.",
    }),
    GHE_HOST: z.string().optional().meta({
      description: "GitHub Enterprise Server host name (API at https://HOST/api/v3).",
    }),
    GHE_PROTOCOL: z.enum(["https", "http"]).default("https").meta({
      description: "Protocol for GHE_HOST; http only for tests and the demo.",
    }),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000).meta({
      description: "Port of the webhook, health and metrics server (0: any free port, logged).",
    }),
    HOST: z.string().default("0.0.0.0").meta({ description: "Address to listen on." }),
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info").meta({
      description: "Log level (JSON logs through pino).",
    }),
    CSR_GITOPS_AUDIT_REPO: repo.meta({ description: "The audit repository, OWNER/NAME." }),
    CSR_GITOPS_CLUSTERS: clusters.meta({
      description:
        "Served clusters: NAME=CONTEXT pairs, comma-separated; CONTEXT is a kubeconfig context or in-cluster.",
    }),
    KUBECONFIG: z.string().optional().meta({
      description: "Kubeconfig file for clusters named by context (default ~/.kube/config).",
    }),
    CSR_GITOPS_LABEL_SELECTOR: z.string().optional().meta({
      description:
        "Serve only CSRs with these labels (a Kubernetes label selector); unset serves every CSR.",
    }),
    CSR_GITOPS_DRY_RUN: bool.default(false).meta({
      description: "true: log every write (GitHub and Kubernetes) instead of making it.",
    }),
    CSR_GITOPS_RESYNC_SECONDS: seconds(10, 86_400).default(300).meta({
      description: "Every CSR and every open app PR is re-checked this often.",
    }),
    CSR_GITOPS_LEASE_NAMESPACE: z.string().default("csr-gitops").meta({
      description: "Namespace of the leader-election Lease.",
    }),
    CSR_GITOPS_LEASE_NAME: z.string().default("csr-gitops").meta({
      description: "Name of the leader-election Lease.",
    }),
    POD_NAME: z.string().optional().meta({
      description: "This replica's identity in the Lease (default: host name and process id).",
    }),
  })
  .refine((s) => (s.PRIVATE_KEY === undefined) !== (s.PRIVATE_KEY_PATH === undefined), {
    error: "set exactly one of PRIVATE_KEY and PRIVATE_KEY_PATH",
    path: ["PRIVATE_KEY"],
  });

export type Settings = z.output<typeof SettingsSchema>;

export type SettingsResult =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Parses the environment; each error names the variable and what is wrong with it. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): SettingsResult {
  // Empty values count as unset, as in a shell `${VAR:-default}`.
  const present = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
  const parsed = SettingsSchema.safeParse(present);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join(".") || "(environment)";
      const message =
        issue.code === "invalid_type" && issue.input === undefined
          ? "is required"
          : issue.message.replace(/^Invalid input: /, "");
      return `${name}: ${message}`;
    }),
  };
}
