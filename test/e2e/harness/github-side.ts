/**
 * The GitHub simulator served over HTTP (the app reaches it as GitHub Enterprise Server through
 * GHE_HOST), delivering signed webhooks over HTTP after each request, as GitHub does. Webhooks go
 * to a relay in this process that forwards them to the serve replica(s) of the moment, so a
 * replica can be killed and another started on a new port while the app's webhook URL stays put.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { startServer } from "../../github-sim/server.ts";
import { GitHubSimulator } from "../../github-sim/simulator.ts";
import { auditSeed, PEOPLE, type Person } from "./audit-seed.ts";
import type { Cleanup } from "./cleanup.ts";

export interface GitHubSide {
  readonly sim: GitHubSimulator;
  /** The simulator's API base URL (http://127.0.0.1:PORT). */
  readonly url: string;
  /** The app's private key file, as a deployment mounts it. */
  readonly privateKeyPath: string;
  /** Ports of the serve replicas webhooks go to (the first that answers takes each delivery). */
  readonly webhookTargets: number[];
  /** A person's client, over HTTP with their own token. */
  person(login: Person): Octokit;
}

/** Forwards one request to the first target port that accepts the connection. */
function relay(targets: readonly number[]): ReturnType<typeof createServer> {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const tryPort = (index: number): void => {
        const port = targets[index];
        if (port === undefined) {
          // Nobody listens: GitHub records the delivery as failed ("failed to connect").
          res.writeHead(502).end();
          return;
        }
        const out = httpRequest(
          {
            host: "127.0.0.1",
            port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on("error", () => {
          tryPort(index + 1);
        });
        out.end(body);
      };
      tryPort(0);
    });
  });
}

export async function startGitHubSide(cleanup: Cleanup): Promise<GitHubSide> {
  const webhookTargets: number[] = [];
  const hooks = relay(webhookTargets);
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  cleanup.add(
    "stop the webhook relay",
    () =>
      new Promise<void>((resolve) => {
        hooks.closeAllConnections();
        hooks.close(() => {
          resolve();
        });
      }),
  );
  const hookPort = (hooks.address() as AddressInfo).port;
  const sim = await GitHubSimulator.create({
    seed: auditSeed(`http://127.0.0.1:${String(hookPort)}/api/github/webhooks`),
    validateResponses: true,
  });
  cleanup.add("remove the simulator's repositories", () => sim.close());
  const server = await startServer(sim, { deliverWebhooks: true });
  cleanup.add("stop the GitHub simulator", () => server.close());
  const keyDir = mkdtempSync(join(tmpdir(), "csr-gitops-e2e-key-"));
  cleanup.add("remove the app's key file", () => {
    rmSync(keyDir, { recursive: true, force: true });
  });
  const privateKeyPath = join(keyDir, "app.private-key.pem");
  writeFileSync(privateKeyPath, sim.appPrivateKey() ?? "", { mode: 0o600 });
  return {
    sim,
    url: server.url,
    privateKeyPath,
    webhookTargets,
    person: (login) => new Octokit({ auth: PEOPLE[login], baseUrl: server.url }),
  };
}
