import { setTimeout as sleep } from "node:timers/promises";
import { CertificatesV1Api, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { describe, expect, it, onTestFinished } from "vitest";
import { RestartingInformer } from "../../src/kube/restarting-informer.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { uniqueName } from "../kube/csr-requests.ts";
import { until } from "../kube/until.ts";
import { harness, servingCsr } from "./harness.ts";

describe("the restarting informer", () => {
  it("restarts after an error that stops client-node's informer, and lists again", async () => {
    const h = await harness();
    const { kubeConfig } = kubeClients("app");
    const api = kubeConfig.makeApiClient(CertificatesV1Api);
    const selector = `csr-gitops-test=${h.run}`;
    const name = uniqueName("listed");
    await kubeClients("node").certificates.createCertificateSigningRequest({
      body: servingCsr(h.run, name),
    });
    let lists = 0;
    const seen = new Set<string>();
    const restarts: unknown[] = [];
    const informer = new RestartingInformer<V1CertificateSigningRequest>({
      kubeConfig,
      path: "/apis/certificates.k8s.io/v1/certificatesigningrequests",
      labelSelector: selector,
      // The first list fails as a network error would: client-node emits "error" and stops.
      list: () => {
        lists += 1;
        if (lists === 1) return Promise.reject(new Error("connection reset"));
        return api.listCertificateSigningRequest({ labelSelector: selector });
      },
      sleep: (ms) => sleep(ms),
      minRestartDelayMs: 50,
      handlers: {
        onUpsert: (csr) => seen.add(csr.metadata?.name ?? ""),
        onDelete: () => undefined,
        onRestart: (error) => restarts.push(error),
      },
    });
    onTestFinished(() => informer.stop());
    await informer.start();
    await until("the informer to list after its restart", () => seen.has(name));
    expect(restarts).toHaveLength(1);
    expect(lists).toBe(2);

    // And it keeps watching.
    const later = uniqueName("watched");
    await kubeClients("node").certificates.createCertificateSigningRequest({
      body: servingCsr(h.run, later),
    });
    await until("the informer to see a CSR created after the restart", () => seen.has(later));
  }, 30_000);
});
