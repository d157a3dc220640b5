/**
 * What the benchmarks share on the Kubernetes side: a kubeconfig loader (each file read once; an
 * impersonating copy costs no file read), the CSR objects they create, and the Node worker-1.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  CertificatesV1Api,
  CoreV1Api,
  KubeConfig,
  loadYaml,
  Observable,
  RbacAuthorizationV1Api,
  type V1ClusterRoleBinding,
  type ConfigurationOptions,
  type V1CertificateSigningRequest,
  type V1Node,
} from "@kubernetes/client-node";
import { loadKubeConfig } from "../src/kube/kube-config.ts";
import { makeCsrPem } from "../test/support/make-csr.ts";

/** The label every bench CSR carries (its value names the run), so controllers can select them. */
export const BENCH_LABEL = "csr-gitops-bench";

const loaded = new Map<string, KubeConfig>();

/** Creates in flight at once: the apiserver's default limits answer 429 beyond a few hundred. */
const CREATE_IN_FLIGHT = 50;

/** The kubeconfig at `path`, acting as `impersonate` when given (the admin impersonating a user). */
export function kubeConfig(path: string, impersonate?: string): KubeConfig {
  let base = loaded.get(path);
  if (base === undefined) {
    base = new KubeConfig();
    base.loadFromFile(path);
    loaded.set(path, base);
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters,
    contexts: base.contexts,
    currentContext: base.currentContext,
    users:
      impersonate === undefined
        ? base.users
        : base.users.map((u) => ({ ...u, impersonateUser: impersonate })),
  });
  return kc;
}

/** Per-request options of a client-node call: act as `user` (the caller may impersonate). */
export function impersonating(user: string): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setHeaderParam("Impersonate-User", user);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

export interface BenchCsrOptions {
  /** The object's name. */
  readonly name: string;
  /** The value of the bench label. */
  readonly run: string;
  /**
   * `serving`: worker-1's kubelet-serving request (the controller benchmark); `user`: a client
   * certificate for the apiserver with CN `user-<index>` (the scale benchmark: allowed by the
   * default policy, no risk tier).
   */
  readonly kind: "serving" | "user";
  readonly index?: number;
}

/** A bench CSR object with a fresh P-256 key, ready to create. */
export function benchCsr(options: BenchCsrOptions): V1CertificateSigningRequest {
  const serving = options.kind === "serving";
  const pem = serving
    ? makeCsrPem({
        key: "p256",
        subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        dns: ["worker-1"],
        ips: ["10.0.0.11"],
      })
    : makeCsrPem({
        key: "p256",
        subject: { CN: `user-${String(options.index ?? 0)}`, O: ["team-a"] },
      });
  return loadYaml<V1CertificateSigningRequest>(
    JSON.stringify({
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: { name: options.name, labels: { [BENCH_LABEL]: options.run } },
      spec: {
        request: Buffer.from(pem).toString("base64"),
        ...(serving
          ? {
              signerName: "kubernetes.io/kubelet-serving",
              usages: ["digital signature", "server auth"],
            }
          : {
              signerName: "kubernetes.io/kube-apiserver-client",
              usages: ["digital signature", "key encipherment", "client auth"],
              expirationSeconds: 86400,
            }),
      },
    }),
  );
}

/**
 * The Node worker-1 with the addresses its serving CSRs name: the app and the controller check a
 * kubelet-serving request's SANs against its Node (cluster checks) and refuse when it is missing.
 */
export async function ensureWorker1(adminKubeconfig: string): Promise<void> {
  const core = kubeConfig(adminKubeconfig).makeApiClient(CoreV1Api);
  const node = await core.createNode({
    body: loadYaml<V1Node>(
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "worker-1" } }),
    ),
  });
  const plain = JSON.parse(JSON.stringify(node)) as Record<string, unknown>;
  await core.replaceNodeStatus({
    name: "worker-1",
    body: loadYaml<V1Node>(
      JSON.stringify({
        ...plain,
        apiVersion: "v1",
        kind: "Node",
        status: {
          addresses: [
            { type: "InternalIP", address: "10.0.0.11" },
            { type: "Hostname", address: "worker-1" },
          ],
        },
      }),
    ),
  });
}

function isTooManyRequests(error: unknown): boolean {
  return (error as { code?: unknown }).code === 429 || String(error).includes("HTTP-Code: 429");
}

/** CSR `i` of a run: `<run>-<i>`, requested (when created) by the user `bench-user-<i>`. */
export function makeCsrs(run: string, count: number): V1CertificateSigningRequest[] {
  return Array.from({ length: count }, (_, i) =>
    benchCsr({ name: `${run}-${String(i)}`, run, kind: "user", index: i }),
  );
}

/**
 * Creates CSR i of `bodies` as the user `bench-user-<i>` (the admin impersonating them, over one
 * connection pool), at most CREATE_IN_FLIGHT at once.
 */
export async function createCsrs(
  admin: string,
  bodies: readonly V1CertificateSigningRequest[],
): Promise<{ uids: string[]; retries429: number }> {
  const api = loadKubeConfig({ kind: "kubeconfig", path: admin }).makeApiClient(CertificatesV1Api);
  const uids: string[] = [];
  let next = 0;
  let retries429 = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const i = next;
      next += 1;
      const body = bodies[i];
      if (body === undefined) return;
      for (;;) {
        try {
          const created = await api.createCertificateSigningRequest(
            { body },
            impersonating(`bench-user-${String(i)}`),
          );
          uids.push(created.metadata?.uid ?? "");
          break;
        } catch (error) {
          if (!isTooManyRequests(error)) throw error;
          retries429 += 1;
          await sleep(1000);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CREATE_IN_FLIGHT }, () => worker()));
  return { uids, retries429 };
}

/** Lets every authenticated user create CSRs (the impersonated bench users), as kubelets can. */
export async function allowCsrCreation(admin: string): Promise<void> {
  const rbac = kubeConfig(admin).makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRoleBinding({
    body: loadYaml<V1ClusterRoleBinding>(
      JSON.stringify({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "bench-users-create-csrs" },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "system:node-bootstrapper",
        },
        subjects: [
          { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" },
        ],
      }),
    ),
  });
}
