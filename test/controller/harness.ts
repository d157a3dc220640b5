/**
 * A controller as `serve` will run it, for scenario tests: the app's own kubeconfig (least
 * privilege: deploy/clusterrole.yaml), the app's installation client on the GitHub simulator, and
 * a label that keeps each test's CSRs to itself on the shared apiserver.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { loadYaml, type V1CertificateSigningRequest, type V1Node } from "@kubernetes/client-node";
import { onTestFinished } from "vitest";
import { builtinTemplates } from "../../src/controller/builtin-templates.ts";
import type { ControllerEvents, ControllerMetric } from "../../src/controller/controller-events.ts";
import { CsrController, type CsrControllerOptions } from "../../src/controller/csr-controller.ts";
import { installRequestPolicy } from "../../src/github/request-policy.ts";
import { isKubeConflict, isKubeNotFound } from "../../src/kube/kube-errors.ts";
import type { GitHubSimulator } from "../github-sim/simulator.ts";
import type { SeedInput } from "../github-sim/seed/seed-schema.ts";
import {
  APP_ID,
  INSTALLATION_ID,
  newSim,
  OWNER,
  REPO,
  testSeed,
} from "../github-sim/tests/sim-fixture.ts";
import { kubeClients } from "../support/kube-clients.ts";
import { csrObject, newKeyPair, type CsrRequest } from "../kube/csr-requests.ts";
import type { MakeCsrOptions } from "../support/make-csr.ts";

export const CLUSTER = "test";
export const REPO_REF = { owner: OWNER, repo: REPO };

/** A seed whose audit repo has a valid config (and any other files given). */
export function controllerSeed(files: Record<string, string> = {}): SeedInput {
  const seed = testSeed();
  const repos = (seed.repos ?? []).map((repo) => ({
    ...repo,
    files: {
      ...repo.files,
      ".github/csr-gitops.yml": "apiVersion: csr-gitops/config-v1\n",
      ...files,
    },
  }));
  return { ...seed, repos };
}

/** Everything the controller reported, for assertions. */
export class RecordedEvents implements ControllerEvents {
  readonly logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  readonly counts: { metric: ControllerMetric; labels: Record<string, string> }[] = [];
  log(level: string, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.logs.push({ level, message, fields: { ...fields } });
  }
  count(metric: ControllerMetric, labels: Readonly<Record<string, string>> = {}): void {
    this.counts.push({ metric, labels: { ...labels } });
  }
  counted(metric: ControllerMetric): number {
    return this.counts.filter((c) => c.metric === metric).length;
  }
}

/** The GitHub requests the controller made (the installation token exchange not counted). */
export interface RequestLog {
  readonly requests: { method: string; path: string }[];
}

/** The app's installation client on the simulator, counting every API request it sends. */
export function countingAppOctokit(sim: GitHubSimulator): { octokit: Octokit; log: RequestLog } {
  const privateKey = sim.appPrivateKey();
  if (privateKey === undefined) throw new Error("seed must generate the app key");
  const log: RequestLog = { requests: [] };
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (!path.endsWith("/access_tokens")) log.requests.push({ method: request.method, path });
    return sim.fetch(request);
  };
  const octokit = new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID },
    request: { fetch },
    // A 404 is an answer here (an absent file), not something to print.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: () => undefined,
    },
  });
  return { octokit, log };
}

export interface Harness {
  readonly sim: GitHubSimulator;
  readonly octokit: Octokit;
  readonly requests: RequestLog;
  readonly events: RecordedEvents;
  /** The label value this test's CSRs carry; the controllers serve only those. */
  readonly run: string;
  controller(options?: Partial<CsrControllerOptions>): CsrController;
}

/** A simulator, and controllers that serve only this test's CSRs; all stopped after the test. */
export async function harness(seed: SeedInput = controllerSeed()): Promise<Harness> {
  const sim = await newSim(seed);
  const { octokit, log } = countingAppOctokit(sim);
  const events = new RecordedEvents();
  installRequestPolicy(octokit, {
    onWait: (wait) => {
      events.count("github_wait", { reason: wait.reason });
    },
    sleep: (ms) => {
      // The simulator's clock stands still: a wait moves it, so rate-limit windows pass.
      sim.clock.advance(ms);
      return Promise.resolve();
    },
    now: () => sim.clock.now(),
    writeSpacingMs: 0,
  });
  const run = `run-${randomUUID().slice(0, 8)}`;
  const app = kubeClients("app");
  return {
    sim,
    octokit,
    requests: log,
    events,
    run,
    controller(options = {}) {
      const controller = new CsrController({
        clusters: [
          { name: CLUSTER, kubeConfig: app.kubeConfig, labelSelector: `csr-gitops-test=${run}` },
        ],
        github: octokit,
        repo: REPO_REF,
        templates: builtinTemplates(),
        events,
        now: () => Date.now(),
        sleep: (ms) => sleep(ms),
        snapshotMaxAgeMs: 0,
        baseBackoffMs: 50,
        maxBackoffMs: 500,
        resyncMs: 60_000,
        ...options,
      });
      onTestFinished(() => controller.stop());
      return controller;
    },
  };
}

/** A CSR object of this test run (labelled so only this test's controllers see it). */
export function labelled(
  run: string,
  body: V1CertificateSigningRequest,
): V1CertificateSigningRequest {
  const plain = JSON.parse(JSON.stringify(body)) as {
    metadata: { labels?: Record<string, string> };
  };
  plain.metadata.labels = { ...plain.metadata.labels, "csr-gitops-test": run };
  return loadYaml<V1CertificateSigningRequest>(JSON.stringify(plain));
}

/** worker-1's serving-certificate request, as the node identity creates it. */
export function servingCsr(
  run: string,
  name: string,
  csr: MakeCsrOptions = {},
): V1CertificateSigningRequest {
  return labelled(
    run,
    csrObject({
      name,
      signerName: "kubernetes.io/kubelet-serving",
      usages: ["digital signature", "server auth"],
      csr: {
        key: "p256",
        keyPair: newKeyPair(),
        subject: { CN: "system:node:worker-1", O: ["system:nodes"] },
        dns: ["worker-1"],
        ips: ["10.0.0.11"],
        ...csr,
      },
    }),
  );
}

export function csrOf(run: string, request: CsrRequest): V1CertificateSigningRequest {
  return labelled(run, csrObject(request));
}

/** Node worker-1 with the addresses its serving certificate names (made once, kept). */
export async function ensureWorker1(): Promise<void> {
  const { core } = kubeClients("admin");
  const addresses = [
    { type: "InternalIP", address: "10.0.0.11" },
    { type: "Hostname", address: "worker-1" },
    { type: "InternalDNS", address: "kubelet.worker-1" },
  ];
  for (;;) {
    const node = await readNode("worker-1");
    if (node === undefined) {
      const body = asNode({ metadata: { name: "worker-1" } });
      try {
        await core.createNode({ body });
      } catch (error) {
        // Another test file made it meanwhile: read it again.
        if (!isKubeConflict(error)) throw error;
      }
      continue;
    }
    if (JSON.stringify(node.status?.addresses ?? []) === JSON.stringify(addresses)) return;
    const plain = JSON.parse(JSON.stringify(node)) as Record<string, unknown>;
    try {
      await core.replaceNodeStatus({
        name: "worker-1",
        body: asNode({ ...plain, status: { addresses } }),
      });
      return;
    } catch (error) {
      if (!isKubeConflict(error)) throw error;
    }
  }
}

function asNode(plain: Record<string, unknown>): V1Node {
  return loadYaml<V1Node>(JSON.stringify({ ...plain, apiVersion: "v1", kind: "Node" }));
}

async function readNode(name: string): Promise<V1Node | undefined> {
  try {
    return await kubeClients("admin").core.readNode({ name });
  } catch (error) {
    if (isKubeNotFound(error)) return undefined;
    throw error;
  }
}
