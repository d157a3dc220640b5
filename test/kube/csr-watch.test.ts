import {
  CertificatesV1Api,
  ListWatch,
  Watch,
  type V1CertificateSigningRequest,
} from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compactEtcd, kubeClientsFor, kubeConfigFrom } from "../support/kube-clients.ts";
import { kubeletServingRequest, uniqueName } from "./csr-requests.ts";
import { startDedicatedServer, type DedicatedServer } from "./dedicated-server.ts";
import { until } from "./until.ts";

// The apiserver ends each watch after 2-4 s here (--min-request-timeout=2), so a test sees the
// server close the stream several times; its CSR watches read etcd directly, so compacting etcd
// turns an old resourceVersion into 410 Gone.
let server: DedicatedServer;
beforeAll(async () => {
  server = await startDedicatedServer({ minRequestTimeoutSeconds: 2 });
}, 180_000);
afterAll(async () => {
  await server.stop();
}, 60_000);

/** An informer as the app would run it, recording what it saw. */
function watchCsrs() {
  const kc = kubeConfigFrom(server.state.kubeconfigs.app);
  const api = kc.makeApiClient(CertificatesV1Api);
  const seen = {
    lists: 0,
    connects: 0,
    added: new Set<string>(),
    deleted: new Set<string>(),
    errors: [] as unknown[],
  };
  // ListWatch is what makeInformer returns; built directly for latestResourceVersion().
  const informer = new ListWatch<V1CertificateSigningRequest>(
    "/apis/certificates.k8s.io/v1/certificatesigningrequests",
    new Watch(kc),
    () => {
      seen.lists++;
      return api.listCertificateSigningRequest();
    },
    false,
  );
  informer.on("connect", () => seen.connects++);
  informer.on("add", (csr) => seen.added.add(csr.metadata?.name ?? ""));
  informer.on("delete", (csr) => seen.deleted.add(csr.metadata?.name ?? ""));
  informer.on("error", (err) => seen.errors.push(err));
  return { informer, seen };
}

let running: ListWatch<V1CertificateSigningRequest> | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("watching CSRs with a client-node informer", () => {
  it("resumes after the server closes the watch, without relisting or missing a CSR", async () => {
    const node = kubeClientsFor(server.state, "node").certificates;
    const { informer, seen } = watchCsrs();
    running = informer;
    await informer.start();
    const before = uniqueName("before-close");
    await node.createCertificateSigningRequest({ body: kubeletServingRequest(before).body });
    await until("the informer to see the first CSR", () => seen.added.has(before));

    // A second connect means the server ended the first watch and the informer resumed it.
    await until("the server to close the watch", () => seen.connects >= 2);
    const after = uniqueName("after-close");
    await node.createCertificateSigningRequest({ body: kubeletServingRequest(after).body });
    await until("the informer to see the CSR created after the close", () => seen.added.has(after));

    expect(seen.lists).toBe(1);
    expect(seen.errors).toEqual([]);
    expect(informer.get(after)?.spec.signerName).toBe("kubernetes.io/kubelet-serving");
  });

  it("relists after 410 Gone and misses nothing that changed meanwhile", async () => {
    const admin = kubeClientsFor(server.state, "admin").certificates;
    const node = kubeClientsFor(server.state, "node").certificates;
    const { informer, seen } = watchCsrs();
    running = informer;
    const removed = uniqueName("removed-while-away");
    await node.createCertificateSigningRequest({ body: kubeletServingRequest(removed).body });
    await informer.start();
    await until("the informer to list the first CSR", () => seen.added.has(removed));
    expect(seen.lists).toBe(1);

    // Disconnect, change the cluster, and compact etcd past the informer's resourceVersion.
    await informer.stop();
    const resumeFrom = Number(informer.latestResourceVersion());
    await admin.deleteCertificateSigningRequest({ name: removed });
    const createdMeanwhile = uniqueName("created-while-away");
    await node.createCertificateSigningRequest({
      body: kubeletServingRequest(createdMeanwhile).body,
    });
    const compacted = Number(await compactEtcd(server.state));
    expect(compacted).toBeGreaterThan(resumeFrom);

    // Resuming from the compacted resourceVersion gets 410 Gone; the informer must relist.
    await informer.start();
    await until("the informer to relist", () => seen.lists === 2);
    await until("the informer to see the CSR created while away", () =>
      seen.added.has(createdMeanwhile),
    );
    await until("the informer to drop the CSR deleted while away", () => seen.deleted.has(removed));

    const names = informer.list().map((csr) => csr.metadata?.name);
    expect(names).toContain(createdMeanwhile);
    expect(names).not.toContain(removed);
    // stop() aborts the open watch and client-node reports that abort as an error; nothing else.
    const unexpected = seen.errors.filter(
      (err) => !(err instanceof Error && err.name === "AbortError"),
    );
    expect(unexpected).toEqual([]);
  });
});
