/**
 * Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics:
 * - a candidate takes the Lease when it has no holder, or when the holder has not renewed it for
 *   `leaseDurationMs` as observed on this candidate's own clock (the time it last saw the record
 *   change, not the renewTime written by another machine, so clock skew cannot steal a Lease);
 * - every write is a PUT carrying the resourceVersion just read, so two candidates cannot both win;
 * - the leader renews every `retryPeriodMs`; if it cannot renew for `renewDeadlineMs` it stops
 *   leading (its work is aborted) before another candidate can take over (renewDeadline <
 *   leaseDuration), then stands by again;
 * - `stop()` releases the Lease (holder cleared) so a standby takes over at once; `kill()` stops
 *   without releasing, as a crash or partition would.
 * RBAC: get, create and update on the one Lease (deploy/role.yaml); no list or watch.
 */
import { loadYaml, type CoordinationV1Api, type V1Lease } from "@kubernetes/client-node";
import { isKubeConflict, isKubeNotFound, kubeStatus } from "./kube-errors.ts";

export interface LeaseElectorOptions {
  readonly coordination: CoordinationV1Api;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Called when this candidate becomes leader; `signal` aborts when it stops leading. */
  readonly onStartedLeading: (signal: AbortSignal) => void;
  /**
   * Called when this candidate stops leading: `lost` when it could not renew for renewDeadline,
   * `stopped` when `stop()` or `kill()` ended it.
   */
  readonly onStoppedLeading?: (reason: "lost" | "stopped") => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * client-node's API methods take instances of its model classes; its YAML loader builds them
 * from plain data (by apiVersion and kind), as it does for the apiserver's responses.
 */
function leaseOf(plain: {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}): V1Lease {
  return loadYaml<V1Lease>(
    JSON.stringify({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", ...plain }),
  );
}

/** RFC 3339 with microseconds, the only form the apiserver accepts for a MicroTime. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** A MicroTime as read back: client-node may give a Date or the apiserver's text. */
function timeText(value: unknown): string {
  if (value instanceof Date) return microTime(value);
  return typeof value === "string" ? value : "";
}

interface Observed {
  readonly key: string;
  readonly atMs: number;
}

function recordKey(lease: V1Lease): string {
  const spec = lease.spec;
  return JSON.stringify([
    spec?.holderIdentity ?? "",
    timeText(spec?.renewTime),
    spec?.leaseTransitions ?? 0,
    spec?.leaseDurationSeconds ?? 0,
  ]);
}

export class LeaseElector {
  private readonly options: LeaseElectorOptions;
  private running = false;
  private leading: AbortController | undefined;
  private observed: Observed | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: LeaseElectorOptions) {
    if (options.renewDeadlineMs >= options.leaseDurationMs) {
      throw new Error("renewDeadline must be shorter than leaseDuration");
    }
    this.options = options;
  }

  get isLeader(): boolean {
    return this.leading !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops without releasing the Lease: the standby waits for it to expire (a crash). */
  async kill(): Promise<void> {
    this.running = false;
    this.stopLeading("stopped");
    await this.loop;
  }

  /** Stops and releases the Lease so a standby takes over without waiting. */
  async stop(): Promise<void> {
    const wasLeader = this.isLeader;
    await this.kill();
    if (wasLeader) await this.release();
  }

  private isRunning(): boolean {
    return this.running;
  }

  private stopLeading(reason: "lost" | "stopped"): void {
    const leading = this.leading;
    if (leading === undefined) return;
    this.leading = undefined;
    leading.abort();
    this.options.onStoppedLeading?.(reason);
  }

  private async run(): Promise<void> {
    let lastRenewMs = 0;
    while (this.isRunning()) {
      let ok = false;
      try {
        ok = await this.tryAcquireOrRenew();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.isRunning()) break;
      const now = this.options.now();
      if (ok) {
        lastRenewMs = now;
        if (this.leading === undefined) {
          this.leading = new AbortController();
          this.options.onStartedLeading(this.leading.signal);
        }
      } else if (this.leading !== undefined && now - lastRenewMs >= this.options.renewDeadlineMs) {
        this.stopLeading("lost");
      }
      await this.options.sleep(this.options.retryPeriodMs);
    }
  }

  /** The Lease this candidate writes: held by it, renewed now. */
  private lease(previous: V1Lease | undefined, now: number): V1Lease {
    const { name, namespace, identity } = this.options;
    const old = previous?.spec;
    const same = old?.holderIdentity === identity;
    const time = microTime(new Date(now));
    return leaseOf({
      metadata: {
        name,
        namespace,
        ...(previous?.metadata?.resourceVersion === undefined
          ? {}
          : { resourceVersion: previous.metadata.resourceVersion }),
      },
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: Math.max(1, Math.ceil(this.options.leaseDurationMs / 1000)),
        acquireTime: same && old.acquireTime !== undefined ? timeText(old.acquireTime) : time,
        renewTime: time,
        leaseTransitions: same ? (old.leaseTransitions ?? 0) : (old?.leaseTransitions ?? -1) + 1,
      },
    });
  }

  /** One attempt; true when this candidate holds the Lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { coordination, namespace, name, identity } = this.options;
    let current: V1Lease;
    try {
      current = await coordination.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isKubeNotFound(error)) throw error;
      try {
        await coordination.createNamespacedLease({
          namespace,
          body: this.lease(undefined, this.options.now()),
        });
        return true;
      } catch (createError) {
        if (kubeStatus(createError) === 409) return false;
        throw createError;
      }
    }

    const now = this.options.now();
    const key = recordKey(current);
    if (this.observed?.key !== key) this.observed = { key, atMs: now };
    const holder = current.spec?.holderIdentity ?? "";
    // A lease written with its own duration is judged by that duration, as client-go does.
    const durationMs = (current.spec?.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== "" && holder !== identity && this.observed.atMs + durationMs > now) {
      return false;
    }
    try {
      await coordination.replaceNamespacedLease({
        name,
        namespace,
        body: this.lease(current, now),
      });
      return true;
    } catch (error) {
      if (isKubeConflict(error)) return false;
      throw error;
    }
  }

  private async release(): Promise<void> {
    const { coordination, namespace, name, identity } = this.options;
    try {
      const current = await coordination.readNamespacedLease({ name, namespace });
      if (current.spec?.holderIdentity !== identity) return;
      await coordination.replaceNamespacedLease({
        name,
        namespace,
        body: leaseOf({
          metadata: { name, namespace, resourceVersion: current.metadata?.resourceVersion },
          spec: {
            holderIdentity: "",
            leaseDurationSeconds: 1,
            leaseTransitions: current.spec.leaseTransitions ?? 0,
          },
        }),
      });
    } catch (error) {
      // Not releasing only delays the standby by one lease duration.
      this.options.onError?.(error);
    }
  }
}
