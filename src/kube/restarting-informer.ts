/**
 * A client-node informer that keeps running. client-node relists by itself on 410 Gone and
 * resumes after the server closes a watch, but on any other error (a reset connection, "other
 * side closed", a failed list) it only emits "error" and stops. This wrapper then starts a fresh
 * informer after a capped exponential delay: a full list, so nothing that changed meanwhile is
 * missed (a watch resumed from the old resourceVersion after such an error was seen to miss
 * events). Objects deleted during the gap get no delete event; the controller's resync finds them.
 */
import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  type ObjectCache,
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
  private informer: (Informer<T> & ObjectCache<T>) | undefined;
  private readonly options: RestartingInformerOptions<T>;
  private stopped = true;
  private delayMs: number;

  constructor(options: RestartingInformerOptions<T>) {
    this.options = options;
    this.delayMs = options.minRestartDelayMs ?? 500;
  }

  private make(): Informer<T> & ObjectCache<T> {
    const { options } = this;
    const informer = makeInformer<T>(
      options.kubeConfig,
      options.path,
      options.list,
      options.labelSelector,
    );
    const seen = (obj: T, handler: (obj: T) => void): void => {
      // An event means the watch works: the next failure starts from the shortest delay.
      this.delayMs = options.minRestartDelayMs ?? 500;
      handler(obj);
    };
    informer.on("add", (obj) => {
      seen(obj, options.handlers.onUpsert);
    });
    informer.on("update", (obj) => {
      seen(obj, options.handlers.onUpsert);
    });
    informer.on("delete", (obj) => {
      seen(obj, options.handlers.onDelete);
    });
    informer.on("error", (error: unknown) => {
      if (this.informer === informer) void this.restart(error);
    });
    return informer;
  }

  private async restart(error: unknown): Promise<void> {
    if (this.stopped) return;
    const old = this.informer;
    this.informer = undefined;
    await old?.stop();
    const delay = this.delayMs;
    this.delayMs = Math.min(this.options.maxRestartDelayMs ?? 30_000, delay * 2);
    this.options.handlers.onRestart?.(error, delay);
    await this.options.sleep(delay);
    if (this.isStopped()) return;
    const fresh = this.make();
    this.informer = fresh;
    await fresh.start();
  }

  /** Read through a method: `stop()` may run while a restart waits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Lists, then watches; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    this.stopped = false;
    const informer = this.make();
    this.informer = informer;
    await informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const informer = this.informer;
    this.informer = undefined;
    await informer?.stop();
  }
}
