/**
 * `csr-gitops serve`: the Probot webhook server and the CSR controller in one process, wired from
 * the settings. Every replica answers webhooks (each write is idempotent and guarded); only the
 * holder of the Lease runs the controller and the periodic catch-up of app PRs.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { Server } from "node:http";
import { CoordinationV1Api, CertificatesV1Api, CoreV1Api } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { catchUp } from "../app/catch-up.ts";
import type { ClusterClients } from "../app/app-deps.ts";
import { csrGitopsApp } from "../app/csr-gitops-app.ts";
import { builtinTemplates } from "../controller/builtin-templates.ts";
import { withAuditRepoPushes } from "../controller/audit-repo-pushes.ts";
import { CsrController } from "../controller/csr-controller.ts";
import { githubSnapshotSource } from "../controller/github-snapshot-source.ts";
import { runAsLeader } from "../controller/run-as-leader.ts";
import { AuditRepoSnapshots } from "../controller/snapshot-cache.ts";
import { formatYamlError } from "../core/config/index.ts";
import type { GitHubApi } from "../github/github-api.ts";
import type { GitHub } from "../github/repo-ref.ts";
import { AppOctokit } from "../github/app-octokit.ts";
import { installRequestPolicy } from "../github/request-policy.ts";
import { loadKubeConfig } from "../kube/kube-config.ts";
import type { LeaseElector } from "../kube/lease-elector.ts";
import { countGitHubErrors } from "./github-error-counter.ts";
import { configCheck } from "./config-check.ts";
import { createHttpServer } from "./http-server.ts";
import { countKubernetesErrors } from "./kube-error-counter.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { Readiness } from "./readiness.ts";
import { appLog, appMetrics, controllerEvents } from "./reporters.ts";
import { SignerLabels } from "./signer-label.ts";
import type { Settings } from "./settings.ts";

export interface ServeWorld {
  /** Where logs go (default stdout). */
  readonly logStream?: NodeJS.WritableStream;
  readonly now?: () => number;
}

export interface Running {
  readonly server: Server;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly log: Logger;
  /** Stop taking work, finish what is in flight, release the Lease, close the server. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

function githubBaseUrl(settings: Settings): string | undefined {
  return settings.GHE_HOST === undefined
    ? undefined
    : `${settings.GHE_PROTOCOL}://${settings.GHE_HOST}/api/v3`;
}

export async function startServe(settings: Settings, world: ServeWorld = {}): Promise<Running> {
  const now = world.now ?? Date.now;
  const log = pino(
    { level: settings.LOG_LEVEL, base: { name: "csr-gitops" } },
    world.logStream ?? process.stdout,
  );
  const metrics = createMetrics(now);
  const signers = new SignerLabels();
  const readiness = new Readiness();
  readiness.require("github: installation on the audit repository");
  const repo = {
    owner: settings.CSR_GITOPS_AUDIT_REPO.owner,
    repo: settings.CSR_GITOPS_AUDIT_REPO.name,
  };
  const privateKey = settings.PRIVATE_KEY ?? readFileSync(settings.PRIVATE_KEY_PATH ?? "", "utf8");
  const baseUrl = githubBaseUrl(settings);
  const probot = new Probot({
    appId: settings.APP_ID,
    privateKey,
    secret: settings.WEBHOOK_SECRET,
    log: log.child({ component: "probot" }),
    // Every client Probot makes (the controller's and each webhook handler's) counts its errors.
    Octokit: AppOctokit.plugin(
      countGitHubErrors((status) => {
        metrics.githubErrors.inc({ status: String(status) });
      }),
    ),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });

  // GitHub: the app's installation on the audit repository and its bot identity.
  const appClient = await probot.auth();
  const installation = await appClient.rest.apps.getRepoInstallation({
    owner: repo.owner,
    repo: repo.repo,
  });
  const self = await appClient.rest.apps.getAuthenticated();
  const slug = self.data?.slug ?? "csr-gitops";
  const api: GitHubApi = await probot.auth(installation.data.id);
  const bot = await api.rest.users.getByUsername({ username: `${slug}[bot]` });
  installRequestPolicy(api as unknown as GitHub, {
    sleep,
    now,
    onWait: (wait) => {
      metrics.rateLimitWaits.inc({ kind: wait.reason });
      metrics.rateLimitWaitSeconds.inc({ kind: wait.reason }, wait.waitMs / 1000);
    },
  });
  const defaultBranch = (await api.rest.repos.get({ ...repo })).data.default_branch;
  readiness.set(
    "github: installation on the audit repository",
    true,
    `installation ${String(installation.data.id)}`,
  );

  // One snapshot of the audit repo's default branch (config, policy, templates) for the process:
  // the leading controller and the config_valid check below share it. Push webhooks reach the
  // controller, so the head is never checked on a timer (docs/controller.md, "Staleness bound").
  const snapshots = new AuditRepoSnapshots(
    githubSnapshotSource(
      api as unknown as GitHub,
      repo,
      () => Promise.resolve(defaultBranch),
      builtinTemplates(),
    ),
    Number.POSITIVE_INFINITY,
    now,
  );

  // Kubernetes: one KubeConfig per served cluster.
  const labelSelector = settings.CSR_GITOPS_LABEL_SELECTOR;
  const clusters = settings.CSR_GITOPS_CLUSTERS.map((c) => ({
    name: c.name,
    ...(labelSelector === undefined ? {} : { labelSelector }),
    kubeConfig: countKubernetesErrors(
      loadKubeConfig(
        c.context === "in-cluster"
          ? { kind: "in-cluster" }
          : {
              kind: "kubeconfig",
              ...(settings.KUBECONFIG === undefined ? {} : { path: settings.KUBECONFIG }),
              context: c.context,
            },
      ),
      (code) => {
        metrics.kubernetesErrors.inc({ cluster: c.name, code: String(code) });
      },
    ),
  }));
  const clusterClients = new Map<string, ClusterClients>(
    clusters.map((c) => [
      c.name,
      {
        certificates: c.kubeConfig.makeApiClient(CertificatesV1Api),
        core: c.kubeConfig.makeApiClient(CoreV1Api),
      },
    ]),
  );

  const deps = {
    appId: settings.APP_ID,
    identity: { botLogin: bot.data.login, botId: bot.data.id },
    clusters: clusterClients,
    now: () => new Date(now()),
    metrics: appMetrics(metrics, now, signers),
    log: appLog(log.child({ component: "app" })),
    dryRun: settings.CSR_GITOPS_DRY_RUN,
  };
  // The controller of this replica while it leads: a push to the audit repo's default branch tells
  // it to check the branch's head (config, policy, templates) at once.
  let leading: CsrController | undefined;
  const withPushes = withAuditRepoPushes(csrGitopsApp(deps), repo, (ref) => {
    leading?.defaultBranchPushed(ref);
  });
  const middleware = await createNodeMiddleware(withPushes, {
    probot,
    webhooksPath: settings.WEBHOOK_PATH,
  });
  const server = createHttpServer({ webhooks: middleware, readiness, registry: metrics.registry });

  // The controller and the catch-up of app PRs run only on the Lease holder.
  const events = controllerEvents(log.child({ component: "controller" }), metrics, now, signers);
  const resyncMs = settings.CSR_GITOPS_RESYNC_SECONDS * 1000;
  const identity = settings.POD_NAME ?? `${hostname()}-${String(process.pid)}`;
  const [first] = clusters;
  if (first === undefined) throw new Error("no cluster configured");
  readiness.require("controller: watches synced (or standby)");
  readiness.set("controller: watches synced (or standby)", true, "standby: another replica leads");
  const elector: LeaseElector = runAsLeader(
    {
      coordination: first.kubeConfig.makeApiClient(CoordinationV1Api),
      namespace: settings.CSR_GITOPS_LEASE_NAMESPACE,
      name: settings.CSR_GITOPS_LEASE_NAME,
      identity,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      now,
      sleep,
    },
    () => {
      const controller = new CsrController({
        clusters,
        github: api as unknown as GitHub,
        repo,
        baseBranch: defaultBranch,
        snapshots,
        templates: builtinTemplates(),
        events,
        now,
        sleep,
        dryRun: settings.CSR_GITOPS_DRY_RUN,
        resyncMs,
      });
      let timer: NodeJS.Timeout | undefined;
      const runCatchUp = async (): Promise<void> => {
        const result = await catchUp(api, repo, deps);
        for (const e of result.errors)
          log.warn(
            { pr: e.number, error: e.error },
            "catch-up failed for a PR; retried at the next resync",
          );
      };
      return {
        async start() {
          readiness.set("controller: watches synced (or standby)", false, "leading: listing CSRs");
          leading = controller;
          await controller.start();
          metrics.watchPending(() => controller.cachedCsrs());
          readiness.set("controller: watches synced (or standby)", true, "leading: watches synced");
          await runCatchUp().catch((error: unknown) => {
            log.error({ error: String(error) }, "catch-up failed; retried at the next resync");
          });
          timer = setInterval(() => {
            runCatchUp().catch((error: unknown) => {
              log.error({ error: String(error) }, "catch-up failed; retried at the next resync");
            });
          }, resyncMs);
        },
        async stop() {
          if (timer !== undefined) clearInterval(timer);
          leading = undefined;
          metrics.watchPending(undefined);
          await controller.stop();
          readiness.set(
            "controller: watches synced (or standby)",
            true,
            "standby: another replica leads",
          );
        },
      };
    },
    events,
  );
  elector.start();

  // config_valid on every replica (the app reads the same config at each merge): checked now and
  // at each resync (config-check.ts: on the leader, the controller's snapshot as it is; on a
  // standby, the head read again); the controller also sets it to 0 the moment a reconcile finds
  // it broken.
  const snapshotForCheck = configCheck(snapshots, () => leading !== undefined);
  const checkConfig = async (): Promise<void> => {
    const result = await snapshotForCheck();
    metrics.configValid.set(result.ok ? 1 : 0);
    if (!result.ok)
      log.warn(
        { errors: result.errors.map(formatYamlError) },
        "the audit repository's config or policy does not load; no pull requests until it is fixed",
      );
  };
  const configCheckFailed = (error: unknown): void => {
    log.warn({ error: String(error) }, "config check failed; trying again at the next resync");
  };
  await checkConfig().catch(configCheckFailed);
  const configTimer = setInterval(() => {
    checkConfig().catch(configCheckFailed);
  }, resyncMs);

  await new Promise<void>((resolve) => server.listen(settings.PORT, settings.HOST, resolve));
  const address = server.address();
  log.info(
    {
      port: typeof address === "object" && address !== null ? address.port : settings.PORT,
      repo: `${repo.owner}/${repo.repo}`,
      clusters: clusters.map((c) => c.name),
      dryRun: settings.CSR_GITOPS_DRY_RUN,
    },
    "serving",
  );

  let stopping: Promise<void> | undefined;
  return {
    server,
    metrics,
    readiness,
    log,
    stop() {
      stopping ??= (async () => {
        log.info("stopping: no new work, finishing what is in flight, releasing the Lease");
        readiness.set("github: installation on the audit repository", false, "stopping");
        clearInterval(configTimer);
        await elector.stop();
        await new Promise<void>((resolve) =>
          server.close(() => {
            resolve();
          }),
        );
        log.info("stopped");
        log.flush();
      })();
      return stopping;
    },
  };
}
