/**
 * The audit repository's behaviour switches, `.github/csr-gitops.yml` (docs/audit-repo.md). One
 * zod schema is the source of the `RepoConfig` type and of validation. Every object is strict:
 * an unknown key is an error, so a misspelt switch is never silently ignored. Every key is
 * optional; the parsed value has every default filled in.
 */
import { z } from "zod";
import { isValidDnsPattern } from "../policy/dns-pattern.ts";

export const CONFIG_API_VERSION = "csr-gitops/config-v1";

const dnsPattern = z
  .string()
  .refine(isValidDnsPattern, {
    error: 'not a DNS pattern (labels, "*" for one label, a leading "**" for one or more)',
  })
  .meta({ description: '"*" matches one label; a leading "**" matches one or more labels.' });

const kubeletServingChecks = z
  .strictObject({
    nodeExists: z.boolean().default(true).meta({
      description: "The Node named by the requester (system:node:<name>) must exist.",
    }),
    addresses: z.boolean().default(true).meta({
      description:
        "Every IP SAN must be one of the Node's status.addresses; every DNS SAN its Hostname, InternalDNS or ExternalDNS address, or match extraDnsNames.",
    }),
    extraDnsNames: z.array(dnsPattern).default([]).meta({
      description: "DNS SANs allowed for any node beyond the Node's own names.",
    }),
  })
  .default({ nodeExists: true, addresses: true, extraDnsNames: [] });

const kubeletClientChecks = z
  .strictObject({
    nodeExists: z.boolean().default(true).meta({
      description:
        "The Node named by the CN (system:node:<name>) must exist; false lets new nodes join.",
    }),
  })
  .default({ nodeExists: true });

export const RepoConfigSchema = z
  .strictObject({
    apiVersion: z.literal(CONFIG_API_VERSION).default(CONFIG_API_VERSION),
    onClose: z.enum(["deny", "ignore"]).default("deny").meta({
      description: "What closing an app PR without merging does to its CSR.",
    }),
    policyDenied: z.enum(["pull-request", "deny"]).default("pull-request").meta({
      description:
        "A CSR the policy denies gets a PR (labelled verdict: deny, never approved by merging), or is denied at once and only recorded.",
    }),
    batch: z
      .strictObject({
        maxSize: z.int().min(1).max(100).default(1),
        windowSeconds: z.int().min(1).max(3600).default(30),
      })
      .default({ maxSize: 1, windowSeconds: 30 }),
    clusterChecks: z
      .strictObject({
        kubeletServing: kubeletServingChecks,
        kubeletClient: kubeletClientChecks,
      })
      .default({
        kubeletServing: { nodeExists: true, addresses: true, extraDnsNames: [] },
        kubeletClient: { nodeExists: true },
      })
      .meta({
        description:
          "Checks against the live cluster, added to the policy verdict (docs/controller.md).",
      }),
  })
  .meta({ title: "csr-gitops repository config" });

export type RepoConfig = z.output<typeof RepoConfigSchema>;
export type RepoConfigInput = z.input<typeof RepoConfigSchema>;

/** The config of a repository without `.github/csr-gitops.yml`. */
export const DEFAULT_REPO_CONFIG: RepoConfig = RepoConfigSchema.parse({});
