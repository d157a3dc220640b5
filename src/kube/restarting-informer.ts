/**
 * A client-node informer that keeps running. client-node relists by itself on 410 Gone and
 * resumes after the server closes a watch, but on any other error it only emits "error" and
 * stops: this wrapper restarts it after a capped exponential delay (reset once it connects
 * again), and reports each restart.
 */
import {
  makeInformer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
} from "@kubernetes/client-node";

export interface InformerHandlers<T> {
  readonly onUpsert: (obj: T) => void;
  readonly onDelete: (obj: T) => void;
  /** The informer failed and will be restarted after `delayMs`. */
  readonly onRestart?: (error: unknown, delayMs: number) => void;
}

export interface RestartingInformerOptions<T extends KubernetesObject> {
  readonly kubeConfig: KubeConfig;
  readonly path: string;
  readonly list: ListPromise<T>;
  /** Watch only objects with these labels (the `list` must apply the same selector). */
  readonly labelSelector?: string;
  readonly handlers: InformerHandlers<T>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly minRestartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
}

export class RestartingInformer<T extends KubernetesObject> {
  private readonly informer;
  private readonly options: RestartingInformerOptions<T>;
  private stopped = true;
  private delayMs: number;

  constructor(options: RestartingInformerOptions<T>) {
    this.options = options;
    this.delayMs = options.minRestartDelayMs ?? 500;
    this.informer = makeInformer<T>(
      options.kubeConfig,
      options.path,
      options.list,
      options.labelSelector,
    );
    this.informer.on("add", (obj) => {
      options.handlers.onUpsert(obj);
    });
    this.informer.on("update", (obj) => {
      options.handlers.onUpsert(obj);
    });
    this.informer.on("delete", (obj) => {
      options.handlers.onDelete(obj);
    });
    this.informer.on("connect", () => {
      this.delayMs = options.minRestartDelayMs ?? 500;
    });
    this.informer.on("error", (error: unknown) => {
      void this.restart(error);
    });
  }

  private async restart(error: unknown): Promise<void> {
    if (this.stopped) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.options.maxRestartDelayMs ?? 30_000, delay * 2);
    this.options.handlers.onRestart?.(error, delay);
    await this.options.sleep(delay);
    if (this.isStopped()) return;
    try {
      await this.informer.start();
    } catch (startError) {
      await this.restart(startError);
    }
  }

  /** Read through a method: `stop()` may run while a restart waits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Lists, then watches; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
  }

  /** The cached object of that name (cluster-scoped objects). */
  get(name: string): T | undefined {
    return this.informer.get(name);
  }

  list(): readonly T[] {
    return this.informer.list();
  }
}
