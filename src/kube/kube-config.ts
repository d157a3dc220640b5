/**
 * A cluster's client configuration: a kubeconfig context (from a file or the default loading
 * rules) or the in-cluster service account. One KubeConfig per cluster; every client of that
 * cluster is made from it, and shares its connection pool (pooled-kube-config.ts).
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { PooledKubeConfig } from "./pooled-kube-config.ts";

export type ClusterSource =
  | { readonly kind: "kubeconfig"; readonly path?: string; readonly context?: string }
  | { readonly kind: "in-cluster" };

export function loadKubeConfig(source: ClusterSource): KubeConfig {
  const kc = new PooledKubeConfig();
  if (source.kind === "in-cluster") {
    kc.loadFromCluster();
    return kc;
  }
  if (source.path === undefined) kc.loadFromDefault();
  else kc.loadFromFile(source.path);
  if (source.context !== undefined) {
    if (kc.getContextObject(source.context) === null) {
      throw new Error(`kubeconfig has no context ${JSON.stringify(source.context)}`);
    }
    kc.setCurrentContext(source.context);
  }
  return kc;
}
