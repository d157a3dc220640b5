/**
 * A cluster's clients share one connection pool (src/kube/pooled-kube-config.ts), against the
 * real apiserver: requests reuse connections, the identity is still the configured one, and a
 * rotated client certificate file is used from the next request on.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuthenticationV1Api,
  CertificatesV1Api,
  KubeConfig,
  loadYaml,
  type V1SelfSubjectReview,
} from "@kubernetes/client-node";
import { afterEach, describe, expect, inject, it } from "vitest";
import { loadKubeConfig } from "../../src/kube/kube-config.ts";
import { countKubernetesErrors } from "../../src/serve/kube-error-counter.ts";
import { kubeConfigFrom } from "../support/kube-clients.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP relay to the apiserver that counts the connections made through it. */
async function countingRelay(target: URL): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    const upstream = createConnection(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.unref();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${String(port)}`, connections: () => connections };
}

/** The app's kubeconfig with its server replaced (TLS still checks the apiserver's certificate). */
function appConfigVia(server: string): KubeConfig {
  const kc = kubeConfigFrom(inject("kubeServer").kubeconfigs.app);
  kc.loadFromOptions({
    clusters: kc.clusters.map((c) => ({ ...c, server })),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return kc;
}

function writeKubeconfig(dir: string, kc: KubeConfig): string {
  const path = join(dir, "kubeconfig");
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}

async function whoAmI(kc: KubeConfig): Promise<string | undefined> {
  const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
    body: loadYaml<V1SelfSubjectReview>(
      JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
    ),
  });
  return review.status?.userInfo?.username;
}

async function readTwentyTimes(kc: KubeConfig): Promise<void> {
  const api = kc.makeApiClient(CertificatesV1Api);
  for (let i = 0; i < 20; i++) await api.listCertificateSigningRequest({ limit: 1 });
}

describe("a cluster's clients share one connection pool", () => {
  it("20 requests of loadKubeConfig's clients open one connection, where client-node's own open 20", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pooled-kc-"));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const relay = await countingRelay(
      new URL(
        kubeConfigFrom(inject("kubeServer").kubeconfigs.app).getCurrentCluster()?.server ?? "",
      ),
    );
    const path = writeKubeconfig(dir, appConfigVia(relay.url));

    await readTwentyTimes(loadKubeConfig({ kind: "kubeconfig", path }));
    const pooled = relay.connections();

    const plain = new KubeConfig();
    plain.loadFromFile(path);
    await readTwentyTimes(plain);
    const unpooled = relay.connections() - pooled;

    expect(pooled).toBe(1);
    expect(unpooled).toBe(20);
  });

  it("serve's counting clients are pooled too, and act as the configured user", async () => {
    const relay = await countingRelay(
      new URL(
        kubeConfigFrom(inject("kubeServer").kubeconfigs.app).getCurrentCluster()?.server ?? "",
      ),
    );
    const errors: number[] = [];
    const kc = countKubernetesErrors(appConfigVia(relay.url), (code) => errors.push(code));
    await readTwentyTimes(kc);
    expect(await whoAmI(kc)).toBe("csr-gitops");
    expect(relay.connections()).toBe(1);
    expect(errors).toEqual([]);
  });

  it("a rotated client certificate file is used from the next request on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pooled-kc-"));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const app = kubeConfigFrom(inject("kubeServer").kubeconfigs.app).getCurrentUser();
    const node = kubeConfigFrom(inject("kubeServer").kubeconfigs.node).getCurrentUser();
    const certFile = join(dir, "client.crt");
    const keyFile = join(dir, "client.key");
    const install = (user: typeof app): void => {
      writeFileSync(certFile, Buffer.from(user?.certData ?? "", "base64"));
      writeFileSync(keyFile, Buffer.from(user?.keyData ?? "", "base64"), { mode: 0o600 });
    };
    install(app);
    const base = kubeConfigFrom(inject("kubeServer").kubeconfigs.app);
    const onFiles = new KubeConfig();
    onFiles.loadFromOptions({
      clusters: base.clusters,
      contexts: base.contexts,
      currentContext: base.currentContext,
      users: [{ name: base.getCurrentUser()?.name ?? "app", certFile, keyFile }],
    });
    const kc = loadKubeConfig({ kind: "kubeconfig", path: writeKubeconfig(dir, onFiles) });

    expect(await whoAmI(kc)).toBe("csr-gitops");
    install(node);
    expect(await whoAmI(kc)).toBe("system:node:worker-1");
  });
});
