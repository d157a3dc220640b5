/**
 * Lists a cluster's CSRs through @kubernetes/client-node, page by page, as the given kubeconfig
 * context. Read-only: the audit needs `list` on certificatesigningrequests and nothing else.
 */
import { CertificatesV1Api, KubeConfig } from "@kubernetes/client-node";
import { toClusterCsr, type ClusterCsr } from "./cluster-csr.ts";

export interface ClusterTarget {
  /** The cluster's name in the audit repository (its folder under clusters/). */
  readonly name: string;
  /** The kubeconfig context to reach it. */
  readonly context: string;
}

export type ClusterRead =
  | { readonly ok: true; readonly csrs: readonly ClusterCsr[] }
  | { readonly ok: false; readonly message: string };

/** A client for `context` from `kubeconfig` (a path), or from the default locations when absent. */
export function certificatesApi(
  context: string,
  kubeconfig: string | undefined,
): { ok: true; api: CertificatesV1Api } | { ok: false; message: string } {
  const kc = new KubeConfig();
  try {
    if (kubeconfig === undefined) kc.loadFromDefault();
    else kc.loadFromFile(kubeconfig);
  } catch (error) {
    return {
      ok: false,
      message: `kubeconfig: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (kc.getContextObject(context) === null)
    return { ok: false, message: `kubeconfig has no context ${JSON.stringify(context)}` };
  kc.setCurrentContext(context);
  return { ok: true, api: kc.makeApiClient(CertificatesV1Api) };
}

export async function readCluster(
  target: ClusterTarget,
  api: CertificatesV1Api,
): Promise<ClusterRead> {
  const csrs: ClusterCsr[] = [];
  let next: string | undefined;
  try {
    do {
      const page = await api.listCertificateSigningRequest({
        limit: 500,
        ...(next === undefined ? {} : { _continue: next }),
      });
      for (const item of page.items) csrs.push(toClusterCsr(target.name, item));
      next = page.metadata?._continue ?? undefined;
      if (next === "") next = undefined;
    } while (next !== undefined);
  } catch (error) {
    return {
      ok: false,
      message: `cluster ${target.name} (context ${target.context}): cannot list CSRs: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return { ok: true, csrs };
}
