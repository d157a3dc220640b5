/**
 * `csr-gitops preflight`: authenticates as the GitHub App exactly as `serve` does (same settings),
 * checks the audit repository, then each configured cluster with the policy's signers.
 */
import { readFileSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { Probot } from "probot";
import { loadKubeConfig } from "../kube/kube-config.ts";
import type { Settings } from "../serve/settings.ts";
import type { CheckResult } from "./check-result.ts";
import { checkGitHub } from "./github-checks.ts";
import { excessAccess, requiredAccess } from "./kube-access.ts";
import { checkKubeAccess } from "./kube-checks.ts";

export interface PreflightWorld {
  /** The fetch GitHub requests go through (tests: the simulator's). */
  readonly fetch?: typeof fetch;
  /** A cluster's KubeConfig (default: from the settings, as serve loads it). */
  readonly kubeConfig?: (cluster: Settings["CSR_GITOPS_CLUSTERS"][number]) => KubeConfig;
}

function kubeConfigFromSettings(settings: Settings) {
  return (c: Settings["CSR_GITOPS_CLUSTERS"][number]): KubeConfig =>
    loadKubeConfig(
      c.context === "in-cluster"
        ? { kind: "in-cluster" }
        : {
            kind: "kubeconfig",
            ...(settings.KUBECONFIG === undefined ? {} : { path: settings.KUBECONFIG }),
            context: c.context,
          },
    );
}

export async function runPreflight(
  settings: Settings,
  world: PreflightWorld = {},
): Promise<CheckResult[]> {
  const privateKey = settings.PRIVATE_KEY ?? readFileSync(settings.PRIVATE_KEY_PATH ?? "", "utf8");
  const baseUrl =
    settings.GHE_HOST === undefined
      ? undefined
      : `${settings.GHE_PROTOCOL}://${settings.GHE_HOST}/api/v3`;
  const probot = new Probot({
    appId: settings.APP_ID,
    privateKey,
    log: pino({ level: "silent" }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(world.fetch === undefined ? {} : { request: { fetch: world.fetch } }),
  });
  const github = await checkGitHub({
    app: await probot.auth(),
    installation: (id) => probot.auth(id),
    repo: {
      owner: settings.CSR_GITOPS_AUDIT_REPO.owner,
      repo: settings.CSR_GITOPS_AUDIT_REPO.name,
    },
    clusters: settings.CSR_GITOPS_CLUSTERS.map((c) => c.name),
  });
  const results = [...github.results];
  const load = world.kubeConfig ?? kubeConfigFromSettings(settings);
  const required = requiredAccess(github.signers, settings.CSR_GITOPS_LEASE_NAMESPACE);
  const excess = excessAccess(github.signers);
  for (const cluster of settings.CSR_GITOPS_CLUSTERS) {
    let kubeConfig: KubeConfig;
    try {
      kubeConfig = load(cluster);
    } catch (error) {
      results.push({
        section: `kubernetes: cluster ${cluster.name}`,
        name: `load context ${cluster.context}`,
        status: "fail",
        detail: error instanceof Error ? error.message : String(error),
        fix: "set KUBECONFIG and CSR_GITOPS_CLUSTERS (NAME=CONTEXT) to a context that exists",
      });
      continue;
    }
    results.push(...(await checkKubeAccess(cluster.name, kubeConfig, required, excess)));
  }
  return results;
}
