/**
 * The CSR controller: one informer per cluster feeding a keyed work queue, a periodic resync,
 * and reconcileCsr for each key. Event handlers only map objects to keys (`<cluster>/<uid>`); the
 * reconcile reads current state. Clients, clock, sleep and timers are injected.
 */
import {
  CertificatesV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1CertificateSigningRequest,
  type V1ManagedFieldsEntry,
} from "@kubernetes/client-node";
import type { PrTemplates } from "../core/record/render-pr.ts";
import { parseAppBranch } from "../core/record/layout.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import { isKubeNotFound } from "../kube/kube-errors.ts";
import { readNodeFacts } from "../kube/nodes.ts";
import { denyCsr } from "../kube/deny-csr.ts";
import { listInPages } from "../kube/list-in-pages.ts";
import { RestartingInformer } from "../kube/restarting-informer.ts";
import { githubSnapshotSource } from "./github-snapshot-source.ts";
import { csrKey, type ClusterView } from "./cluster-view.ts";
import type { ControllerEvents } from "./controller-events.ts";
import { BatchIndex } from "./batch-index.ts";
import { BatchPlanner } from "./batch-planner.ts";
import { dryRunBatchCommit, liveBatchCommit } from "./batch-writes.ts";
import { PullIndex } from "./pull-index.ts";
import { AuditRepoSnapshots } from "./snapshot-cache.ts";
import { reconcileCsr, type ReconcileContext, type ReconcileOutcome } from "./reconcile-csr.ts";
import { realTimers, WorkQueue, type QueueTimers } from "./work-queue.ts";
import { dryRunWrites, liveWrites, type ControllerWrites, type DenyRequest } from "./writes.ts";

export interface ClusterConnection {
  /** The cluster's name in the audit repo (a DNS label). */
  readonly name: string;
  readonly kubeConfig: KubeConfig;
  /**
   * Serve only CSRs with these labels (a Kubernetes label selector). Kubelets label nothing, so
   * production leaves this unset; it lets several controllers share a cluster, and tests isolate.
   */
  readonly labelSelector?: string;
}

export interface CsrControllerOptions {
  readonly clusters: readonly ClusterConnection[];
  readonly github: GitHub;
  readonly repo: RepoRef;
  /** The audit repo's default branch; read from GitHub when not given. */
  readonly baseBranch?: string;
  readonly templates: PrTemplates;
  readonly events: ControllerEvents;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly dryRun?: boolean;
  /** Every key is re-checked this often. Default 5 minutes. */
  readonly resyncMs?: number;
  /**
   * How long the default branch's head is trusted before it is read again (the audit repo's files
   * are read again only when it moved); a push to it (`defaultBranchPushed`) and every resync
   * check it at once. Default 60 s. Not used with `defaultBranchPushes`.
   */
  readonly snapshotMaxAgeMs?: number;
  /**
   * The audit repo's push webhooks reach `defaultBranchPushed` (`serve` wires them): the head is
   * then never checked on a timer, only after a push to the default branch, at each resync (the
   * safety net for a lost webhook) and before a final decision.
   */
  readonly defaultBranchPushes?: boolean;
  /**
   * The process's snapshot cache, shared with its other readers (`serve`'s config_valid check);
   * the controller makes its own from the options above when not given.
   */
  readonly snapshots?: AuditRepoSnapshots;
  readonly concurrency?: number;
  /** CSRs per page of the informer's list (client-go's informers read 500). Default 500. */
  readonly listPageSize?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Batch PRs being opened at once; the rest of a burst waits its turn. Default 4. */
  readonly maxBatchesOpening?: number;
  readonly timers?: QueueTimers;
  /** Wraps the writes (tests use it to stop the process between two writes). */
  readonly wrapWrites?: (writes: ControllerWrites) => ControllerWrites;
}

/** An error's message and, for fetch failures, the cause (the socket error says what happened). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

const CSR_PATH = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

/**
 * The informer's object, without the field-manager bookkeeping nothing here reads. Set to
 * undefined rather than deleted: `delete` turns each object's metadata into a hash table (V8's
 * dictionary mode), about 400 bytes more per cached CSR than undefined (measured with 10,000).
 */
function dropManagedFields(csr: V1CertificateSigningRequest): void {
  const metadata: { managedFields?: V1ManagedFieldsEntry[] | undefined } | undefined = csr.metadata;
  if (metadata?.managedFields !== undefined) metadata.managedFields = undefined;
}

class InformerCluster implements ClusterView {
  readonly name: string;
  readonly informer: RestartingInformer<V1CertificateSigningRequest>;
  private readonly byUid = new Map<string, V1CertificateSigningRequest>();
  private readonly ranks = new Map<string, number>();
  private observed = 0;
  private readonly certificates: CertificatesV1Api;
  private readonly core: CoreV1Api;

  constructor(
    connection: ClusterConnection,
    onKey: (uid: string) => void,
    events: ControllerEvents,
    sleep: (ms: number) => Promise<void>,
    listPageSize: number,
  ) {
    this.name = connection.name;
    this.certificates = connection.kubeConfig.makeApiClient(CertificatesV1Api);
    this.core = connection.kubeConfig.makeApiClient(CoreV1Api);
    const uidOf = (csr: V1CertificateSigningRequest): string => csr.metadata?.uid ?? "";
    this.informer = new RestartingInformer<V1CertificateSigningRequest>({
      kubeConfig: connection.kubeConfig,
      path: CSR_PATH,
      list: () =>
        listInPages(
          ({ limit, continueToken }) =>
            this.certificates.listCertificateSigningRequest({
              limit,
              ...(continueToken === undefined ? {} : { _continue: continueToken }),
              ...(connection.labelSelector === undefined
                ? {}
                : { labelSelector: connection.labelSelector }),
            }),
          listPageSize,
        ),
      ...(connection.labelSelector === undefined
        ? {}
        : { labelSelector: connection.labelSelector }),
      sleep,
      handlers: {
        onUpsert: (csr) => {
          // Reconcile never reads managedFields (it re-reads the CSR before it writes anything),
          // and with many CSRs they are a tenth of the cache: drop them from the cached object.
          dropManagedFields(csr);
          if (!this.ranks.has(uidOf(csr))) this.ranks.set(uidOf(csr), (this.observed += 1));
          this.byUid.set(uidOf(csr), csr);
          onKey(uidOf(csr));
        },
        onDelete: (csr) => {
          this.byUid.delete(uidOf(csr));
          this.ranks.delete(uidOf(csr));
          onKey(uidOf(csr));
        },
        onRestart: (error, delayMs) => {
          events.log("warn", "CSR watch failed; restarting it", {
            cluster: connection.name,
            error: describeError(error),
            delayMs,
          });
        },
      },
    });
  }

  cachedByUid(uid: string): V1CertificateSigningRequest | undefined {
    return this.byUid.get(uid);
  }

  cached(): readonly V1CertificateSigningRequest[] {
    return [...this.byUid.values()];
  }

  observedRank(uid: string): number | undefined {
    return this.ranks.get(uid);
  }

  async readCsr(name: string): Promise<V1CertificateSigningRequest | undefined> {
    try {
      return await this.certificates.readCertificateSigningRequest({ name });
    } catch (error) {
      if (isKubeNotFound(error)) return undefined;
      throw error;
    }
  }

  readNode(name: string) {
    return readNodeFacts(this.core, name);
  }

  async deny(request: DenyRequest, now: Date): Promise<void> {
    await denyCsr(this.certificates, request.csr, request.reason, request.message, now);
  }
}

export class CsrController {
  private readonly options: CsrControllerOptions;
  private readonly clusters = new Map<string, InformerCluster>();
  private readonly queue: WorkQueue;
  private readonly context: ReconcileContext;
  private readonly snapshots: AuditRepoSnapshots;
  private readonly pulls: PullIndex;
  private readonly batches: BatchPlanner;
  private baseBranch: string | undefined;
  private resyncTimer: unknown;
  private running = false;

  constructor(options: CsrControllerOptions) {
    this.options = options;
    this.baseBranch = options.baseBranch;
    for (const connection of options.clusters) {
      const cluster = new InformerCluster(
        connection,
        (uid) => {
          this.queue.add(csrKey(connection.name, uid));
        },
        options.events,
        options.sleep,
        options.listPageSize ?? 500,
      );
      this.clusters.set(connection.name, cluster);
    }
    this.snapshots =
      options.snapshots ??
      new AuditRepoSnapshots(
        githubSnapshotSource(
          options.github,
          options.repo,
          () => this.defaultBranch(),
          options.templates,
        ),
        options.defaultBranchPushes === true
          ? Number.POSITIVE_INFINITY
          : (options.snapshotMaxAgeMs ?? 60_000),
        options.now,
      );
    this.pulls = new PullIndex(options.github, options.repo, options.now);
    const deny = async (request: DenyRequest): Promise<void> => {
      const cluster = this.clusters.get(request.cluster);
      if (cluster === undefined) throw new Error(`unknown cluster ${request.cluster}`);
      await cluster.deny(request, new Date(options.now()));
    };
    const base =
      options.dryRun === true
        ? dryRunWrites(options.events)
        : liveWrites(options.github, options.repo, deny);
    this.batches = new BatchPlanner({
      context: () => this.context,
      commit:
        options.dryRun === true
          ? dryRunBatchCommit(options.events)
          : liveBatchCommit(options.github, options.repo),
      index: new BatchIndex(options.github, options.repo, this.pulls),
      timers: options.timers ?? realTimers,
      queued: () => this.queue.busy,
      requeue: (key) => {
        this.queue.add(key);
      },
      retryMs: options.baseBackoffMs ?? 1000,
      maxRetryMs: options.maxBackoffMs ?? 300_000,
      ...(options.maxBatchesOpening === undefined ? {} : { maxOpening: options.maxBatchesOpening }),
    });
    this.context = {
      batches: this.batches,
      clusters: this.clusters,
      gh: options.github,
      repo: options.repo,
      snapshot: (fresh) => this.snapshots.get(fresh),
      pulls: this.pulls,
      writes: options.wrapWrites === undefined ? base : options.wrapWrites(base),
      events: options.events,
      now: options.now,
      denyReceipts: new Set(),
    };
    this.queue = new WorkQueue({
      process: async (key) => {
        const outcome = await this.reconcile(key);
        // Retried with the key's backoff until the audit repo is fixed; never opened under a guess.
        if (outcome === "blocked-by-config") throw new Error("the audit repo's config is broken");
      },
      concurrency: options.concurrency ?? 4,
      baseBackoffMs: options.baseBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 300_000,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      onError: (key, error, retryInMs) => {
        options.events.log("warn", "reconcile failed; will retry", {
          key,
          retryInMs,
          error: error instanceof Error ? error.message : String(error),
        });
        options.events.count("reconcile_error", { reason: "error" });
      },
    });
  }

  private async defaultBranch(): Promise<string> {
    if (this.baseBranch === undefined) {
      const repo = await this.options.github.rest.repos.get({ ...this.options.repo });
      this.baseBranch = repo.data.default_branch;
    }
    return this.baseBranch;
  }

  /** Lists and watches every cluster, then processes keys until `stop()`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // A shared snapshot (serve's, read while this replica stood by) may predate pushes that no
    // leader received: the first use checks the head.
    this.snapshots.moved();
    await Promise.all([...this.clusters.values()].map((c) => c.informer.start()));
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.resyncTimer !== undefined) this.timers().clearTimeout(this.resyncTimer);
    await Promise.all([...this.clusters.values()].map((c) => c.informer.stop()));
    await this.queue.stop();
    await this.batches.stop();
  }

  /** Reconciles one key now (the queue calls this; tests may too). */
  async reconcile(key: string): Promise<ReconcileOutcome> {
    const outcome = await reconcileCsr(this.context, key);
    this.options.events.log("debug", "reconciled", { key, outcome });
    return outcome;
  }

  /**
   * A push to the audit repository (the app's `push` webhook, in `serve`): when it is the default
   * branch, the next reconcile checks its head and re-reads the files if it moved. The payload is
   * only a hint that something changed; what is used is read from GitHub.
   */
  defaultBranchPushed(ref: string): void {
    if (this.baseBranch === undefined || ref === `refs/heads/${this.baseBranch}`) {
      this.snapshots.moved();
    }
  }

  /**
   * Queues every known CSR and every recent app PR (whose CSR may be gone). The default branch's
   * head is checked again at the next use of the snapshot: the safety net for a lost push webhook.
   */
  async resync(): Promise<void> {
    this.snapshots.moved();
    this.pulls.invalidate();
    for (const cluster of this.clusters.values()) {
      for (const csr of cluster.cached())
        this.queue.add(csrKey(cluster.name, csr.metadata?.uid ?? ""));
    }
    for (const pull of await this.pulls.all()) {
      const branch = parseAppBranch(pull.headRef);
      if (pull.state === "open" && branch?.kind === "single" && this.clusters.has(branch.cluster)) {
        this.queue.add(csrKey(branch.cluster, branch.uid));
      }
    }
  }

  private timers(): QueueTimers {
    return this.options.timers ?? realTimers;
  }

  private scheduleResync(): void {
    this.resyncTimer = this.timers().setTimeout(() => {
      if (!this.running) return;
      this.resync().then(
        () => {
          this.scheduleResync();
        },
        (error: unknown) => {
          this.options.events.log("warn", "resync failed; trying again later", {
            error: error instanceof Error ? error.message : String(error),
          });
          this.scheduleResync();
        },
      );
    }, this.options.resyncMs ?? 300_000);
  }

  /** Every cached CSR by cluster (serve's pending gauges read it at scrape time; no API call). */
  cachedCsrs(): ReadonlyMap<string, readonly V1CertificateSigningRequest[]> {
    return new Map([...this.clusters].map(([name, cluster]) => [name, cluster.cached()]));
  }

  /** Resolves when no key is queued or being processed. */
  async idle(): Promise<void> {
    // A batch that opens may re-queue keys, and reconciles may offer new batches.
    for (;;) {
      await this.queue.idle();
      if (!this.batches.busy()) return;
      await this.batches.idle();
    }
  }

  /** Queues one key (for the resync of a single CSR, and for tests that replay events). */
  enqueue(key: string): void {
    this.queue.add(key);
  }
}
