/**
 * Counts the Kubernetes API errors of every client `serve` makes for a cluster (the app's, the
 * controller's, the Lease's): a KubeConfig whose API clients send through a fetch library that
 * reports each response with status >= 400 and each request that got no response (code 0).
 * Expected answers count too (404 for a CSR already gone, 409 for a stale precondition): the
 * alert rules look only at 0, 401, 403 and 5xx. Watches stream outside these clients; a failed
 * watch is restarted with a fresh list, whose errors are counted.
 */
import {
  createConfiguration,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  ServerConfiguration,
  wrapHttpLibrary,
  type ApiConstructor,
  type ApiType,
} from "@kubernetes/client-node";
import { PooledKubeConfig } from "../kube/pooled-kube-config.ts";

export type KubeErrorSink = (code: number) => void;

class CountingKubeConfig extends PooledKubeConfig {
  readonly #onError: KubeErrorSink;

  constructor(onError: KubeErrorSink) {
    super();
    this.#onError = onError;
  }

  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (cluster === null) throw new Error("No active cluster!");
    const fetchLibrary = new IsomorphicFetchHttpLibrary();
    const onError = this.#onError;
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: this },
      httpApi: wrapHttpLibrary({
        async send(request) {
          try {
            const response = await fetchLibrary.send(request).toPromise();
            if (response.httpStatusCode >= 400) onError(response.httpStatusCode);
            return response;
          } catch (error) {
            onError(0);
            throw error;
          }
        },
      }),
    });
    return new apiClientType(config);
  }
}

/** The same clusters, users, contexts and current context, pooled, with every API client counted. */
export function countKubernetesErrors(kubeConfig: KubeConfig, onError: KubeErrorSink): KubeConfig {
  const counted = new CountingKubeConfig(onError);
  counted.loadFromOptions({
    clusters: kubeConfig.clusters,
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  return counted;
}
