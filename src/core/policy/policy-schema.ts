/**
 * The policy format, as one zod schema: the single source of the `Policy` type, of validation in
 * `loadPolicy`, and of the published JSON Schema (`policy/policy.schema.json`, generated from this
 * by scripts/write-policy-schema.ts). Every object is strict: an unknown key is an error, so a typo
 * can never silently drop a rule.
 */
import { z } from "zod";
import { parseCidr } from "./ip-address.ts";
import { isValidDnsPattern } from "./dns-pattern.ts";
import { hasTemplate, TEMPLATES, templateProblem } from "./requester-template.ts";

export const POLICY_API_VERSION = "csr-gitops/v2";
/** Policy format versions this program once read and no longer does. */
const RETIRED_API_VERSIONS: readonly string[] = ["csr-gitops/v1"];

/** Every usage certificates.k8s.io/v1 accepts in spec.usages. */
export const KEY_USAGES = [
  "signing",
  "digital signature",
  "content commitment",
  "key encipherment",
  "key agreement",
  "data encipherment",
  "cert sign",
  "crl sign",
  "encipher only",
  "decipher only",
  "any",
  "server auth",
  "client auth",
  "code signing",
  "email protection",
  "s/mime",
  "ipsec end system",
  "ipsec tunnel",
  "ipsec user",
  "timestamping",
  "ocsp signing",
  "microsoft sgc",
  "netscape sgc",
] as const;

export const ECDSA_CURVES = ["P-256", "P-384", "P-521"] as const;
export const KEY_ALGORITHMS = ["RSA", "ECDSA", "Ed25519"] as const;

const usage = z.enum(KEY_USAGES);
const glob = z
  .string()
  .min(1)
  .refine((g) => !hasTemplate(g), {
    error: `a deny-list or requester pattern cannot use a template (${TEMPLATES.join(", ")}) or braces`,
  })
  .meta({ description: 'Glob: "*" matches any run of characters.' });
const globs = z.array(glob);

/** A glob that may name the requester: {node}, {serviceaccount.namespace}, {serviceaccount.name}. */
const templatedGlob = z
  .string()
  .min(1)
  .check((ctx) => {
    const problem = templateProblem(ctx.value);
    if (problem !== undefined)
      ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  })
  .meta({
    description: `Glob: "*" matches any run of characters. Templates ${TEMPLATES.join(", ")} stand for the requester's own names; one that does not apply to the requester makes the pattern match nothing.`,
  });
const templatedGlobs = z.array(templatedGlob);
const approvals = z.int().min(1).max(20);

const DNS_PATTERN_ERROR =
  'not a DNS pattern (labels, "*" for one label, a leading "**" for one or more)';

const dnsPattern = z
  .string()
  .refine(isValidDnsPattern, { error: DNS_PATTERN_ERROR })
  .meta({ description: '"*" matches one label; a leading "**" matches one or more labels.' });

/** Templates stand for whole labels: each "{...}" must fill a label between dots. */
function templatedDnsProblem(pattern: string): string | undefined {
  const problem = templateProblem(pattern);
  if (problem !== undefined) return problem;
  // Template names hold dots: mark each template with one character before splitting labels.
  const labels = pattern.replace(/\{[^{}]*\}/g, "\u0001").split(".");
  if (labels.some((l) => l.includes("\u0001") && l !== "\u0001"))
    return "a template must be a whole label (between dots)";
  return isValidDnsPattern(labels.map((l) => (l === "\u0001" ? "x" : l)).join("."))
    ? undefined
    : DNS_PATTERN_ERROR;
}

const templatedDnsPattern = z
  .string()
  .check((ctx) => {
    const problem = templatedDnsProblem(ctx.value);
    if (problem !== undefined)
      ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  })
  .meta({
    description: `"*" matches one label; a leading "**" matches one or more labels; ${TEMPLATES.join(", ")} stand for the requester's own names (whole labels).`,
  });

const cidr = z
  .string()
  .check((ctx) => {
    const parsed = parseCidr(ctx.value);
    if (!parsed.ok) ctx.issues.push({ code: "custom", message: parsed.message, input: ctx.value });
  })
  .meta({ description: "IPv4 or IPv6 CIDR block (or a single address), no host bits set." });

const usagesRule = z
  .strictObject({
    allowed: z.array(usage).min(1).meta({ description: "Every requested usage must be in here." }),
    required: z.array(usage).optional().meta({ description: "Each of these must be requested." }),
  })
  .meta({ description: "spec.usages constraints." });

const commonNameRule = z.strictObject({
  patterns: templatedGlobs
    .optional()
    .meta({ description: "The CN must match one of these (if given); templates allowed." }),
  forbidden: globs.optional().meta({ description: "The CN must match none of these." }),
  equalsRequester: z.boolean().optional().meta({
    description:
      'The CN must equal the requester\'s username (for nodes: "system:node:" + its own name).',
  }),
});

const organizationsRule = z.strictObject({
  allowed: templatedGlobs
    .optional()
    .meta({ description: "Every O must match one of these (if given); templates allowed." }),
  forbidden: globs.optional().meta({ description: "No O may match any of these." }),
});

const subjectRule = z.strictObject({
  commonName: commonNameRule.optional(),
  organizations: organizationsRule.optional(),
});

const sanRule = z
  .strictObject({
    required: z.boolean().optional().meta({ description: "At least one SAN must be present." }),
    maxCount: z.int().min(0).optional().meta({ description: "At most this many SANs in all." }),
    dnsNames: z
      .array(templatedDnsPattern)
      .optional()
      .meta({ description: "Absent: no DNS SAN allowed. Templates allowed." }),
    forbiddenDnsNames: z.array(dnsPattern).optional().meta({
      description: "No DNS SAN may match any of these, whatever dnsNames allows.",
    }),
    wildcardDnsNames: z.boolean().optional().meta({
      description:
        'Whether a wildcard DNS SAN ("*.example.com") may be requested at all (default false).',
    }),
    ipAddresses: z.array(cidr).optional().meta({ description: "Absent: no IP SAN allowed." }),
    forbiddenIpAddresses: z.array(cidr).optional().meta({
      description: "No IP SAN may lie in any of these, whatever ipAddresses allows.",
    }),
    emailAddresses: templatedGlobs
      .optional()
      .meta({ description: "Absent: email SANs are forbidden. Templates allowed." }),
    uris: templatedGlobs
      .optional()
      .meta({ description: "Absent: URI SANs are forbidden. Templates allowed." }),
  })
  .meta({ description: "Subject alternative names: every SAN must be allowed by a list here." });

const keysRule = z
  .strictObject({
    rsaMinBits: z.int().min(2048).max(16384).optional().meta({
      description: "Smallest RSA modulus allowed. Absent: RSA keys are not allowed.",
    }),
    ecdsaCurves: z.array(z.enum(ECDSA_CURVES)).optional().meta({
      description: "ECDSA curves allowed. Absent or empty: ECDSA keys are not allowed.",
    }),
    ed25519: z.boolean().optional().meta({ description: "Whether Ed25519 keys are allowed." }),
  })
  .meta({ description: "Public key constraints; a key type not named here is denied." });

const expirationRule = z.strictObject({
  maxSeconds: z.int().min(600).optional().meta({
    description: "Largest spec.expirationSeconds allowed.",
  }),
  required: z.boolean().optional().meta({
    description: "spec.expirationSeconds must be set (else the signer picks the duration).",
  }),
});

const requesterRule = z.strictObject({
  usernames: globs.optional().meta({ description: "spec.username must match one of these." }),
  forbiddenUsernames: globs.optional().meta({
    description: "spec.username must match none of these.",
  }),
  requiredGroups: z.array(z.string().min(1)).optional().meta({
    description: "spec.groups must contain every one of these.",
  }),
  forbiddenGroups: z.array(z.string().min(1)).optional().meta({
    description: "spec.groups must contain none of these.",
  }),
});

const tierCondition = z
  .strictObject({
    keyAlgorithms: z.array(z.enum(KEY_ALGORITHMS)).min(1).optional(),
    rsaBitsBelow: z.int().min(1).optional(),
    sanCountAbove: z.int().min(0).optional(),
    commonNames: globs.min(1).optional(),
    organizations: globs.min(1).optional(),
    dnsNames: z.array(dnsPattern).min(1).optional(),
    usages: z.array(usage).min(1).optional(),
    expirationSecondsAbove: z.int().min(0).optional(),
    expirationUnset: z.literal(true).optional(),
    requesterUsernames: globs.min(1).optional(),
    requesterGroups: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((w) => Object.values(w).some((v) => v !== undefined), {
    error: "a tier condition needs at least one test",
  })
  .meta({
    description:
      "Every test given must hold. List tests (organizations, dnsNames, ...) hold when any value matches.",
  });

const tier = z
  .strictObject({
    name: z.string().min(1),
    when: tierCondition,
    requiredApprovals: approvals.meta({
      description: "Approvals needed when the condition holds; can only raise, never lower.",
    }),
  })
  .meta({ description: "A risk tier: raises the required approvals when its condition holds." });

export const SignerRuleSchema = z
  .strictObject({
    requiredApprovals: approvals.optional().meta({
      description: "Approvals for this signer; the policy-wide minimum still applies.",
    }),
    usages: usagesRule,
    subject: subjectRule.optional(),
    subjectAltNames: sanRule.optional().meta({
      description: "Absent: the request may carry no SAN at all.",
    }),
    keys: keysRule,
    expiration: expirationRule.optional(),
    requester: requesterRule.optional(),
    tiers: z.array(tier).optional(),
  })
  .meta({ description: "Rules for one signerName; the built-in signer checks apply as well." });

const signerName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/[^\s/]+(\/[^\s/]+)*$/, "not a signerName (domain/path)");

export const PolicySchema = z
  .strictObject({
    apiVersion: z.literal(POLICY_API_VERSION, {
      error: (issue) =>
        typeof issue.input === "string" && RETIRED_API_VERSIONS.includes(issue.input)
          ? `${issue.input} policies are no longer read: set apiVersion: ${POLICY_API_VERSION} and review the changes in docs/policy.md ("Upgrading from csr-gitops/v1")`
          : `expected "${POLICY_API_VERSION}"`,
    }),
    kind: z.literal("Policy"),
    requiredApprovals: approvals.default(2).meta({
      description: "Minimum distinct code-owner approvals for any CSR; nothing can lower it.",
    }),
    forbiddenOrganizations: globs.default(["system:masters", "kubeadm:cluster-admins"]).meta({
      description:
        "Subject organisations denied for every signer (groups installers bind to cluster-admin).",
    }),
    allowSha1Signatures: z.boolean().default(false).meta({
      description: "Whether a request signed with SHA-1 may be allowed (default false).",
    }),
    tiers: z.array(tier).default([]).meta({ description: "Risk tiers for every signer." }),
    signers: z.record(signerName, SignerRuleSchema).meta({
      description: "Rules keyed by signerName. A signer with no entry is denied.",
    }),
  })
  .meta({
    title: "csr-gitops policy",
    description: "Which CSRs may be approved, and by how many.",
  });

/** A validated policy, defaults applied. */
export type Policy = z.output<typeof PolicySchema>;
/** A policy as written (defaults not yet applied). */
export type PolicyInput = z.input<typeof PolicySchema>;
export type SignerRule = z.output<typeof SignerRuleSchema>;
export type Tier = z.output<typeof tier>;
export type TierCondition = z.output<typeof tierCondition>;
