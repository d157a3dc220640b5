/**
 * A KubeConfig whose API clients and watches share one connection pool per cluster and TLS
 * identity. client-node 2.0 gives every request a new undici Agent: a new TCP connection, a new
 * TLS handshake and a new OpenSSL context (the CA, certificate and key parsed again), released only
 * when the garbage collector finds the Agent. Measured against the kube test server: 2,000 reads
 * took 21-26 ms each and left the process at 377-392 MiB RSS; through one pool, 6-7 ms and
 * 223-229 MiB (docs/benchmarks.md, "Memory of serve").
 *
 * The pool is keyed by what the connection's identity is made of (server, proxy, TLS options and
 * the bytes of the CA, client certificate and key, read as client-node reads them, per request), so
 * a rotated certificate file gets a new pool at once; the old one closes after its requests finish.
 * Bearer tokens are headers, set per request by client-node as before.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { KubeConfig, type RequestContext } from "@kubernetes/client-node";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/** client-node's own rule: a file when named, else inline base64 data. */
function material(file: string | undefined, data: string | undefined): string {
  if (file !== undefined && file !== "") return readFileSync(file).toString("base64");
  return data ?? "";
}

export class PooledKubeConfig extends KubeConfig {
  #pool: { readonly key: string; readonly dispatcher: Dispatcher } | undefined;

  /** What a connection's identity is made of, as one digest. */
  connectionKey(): string {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    const parts = [
      cluster?.server ?? "",
      cluster?.proxyUrl ?? "",
      String(cluster?.skipTLSVerify ?? false),
      cluster?.tlsServerName ?? "",
      material(cluster?.caFile, cluster?.caData),
      material(user?.certFile, user?.certData),
      material(user?.keyFile, user?.keyData),
    ];
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    // client-node set a fresh Agent (no connection yet); use the pool for this identity instead.
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    const key = this.connectionKey();
    if (this.#pool?.key !== key) {
      const old = this.#pool?.dispatcher;
      this.#pool = { key, dispatcher: fresh };
      // Requests already on the old pool finish; then its connections close.
      // A close can fail only when the pool is closed already: nothing is left to do then.
      void old?.close().catch(() => undefined);
    }
    context.setDispatcher(this.#pool.dispatcher);
  }
}
