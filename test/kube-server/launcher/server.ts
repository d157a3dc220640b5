import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { KubeServerError } from "./kube-server-error.ts";
import { logTail } from "./log-tail.ts";
import { kubernetesVersion, moduleDir } from "./paths.ts";
import { assertPortFree, freePort } from "./ports.ts";
import { groupAlive, stopGroup } from "./process-group.ts";
import { readState, removeState, writeState, type KubeServerState } from "./state.ts";

/** Manifests applied at start: the shipped roles and the test-only bindings to user csr-gitops. */
const repoRoot = resolve(moduleDir, "..", "..");
export const startManifests = [
  join(repoRoot, "deploy", "clusterrole.yaml"),
  join(repoRoot, "deploy", "role.yaml"),
  join(moduleDir, "manifests", "test-bindings.yaml"),
];

export interface CleanerOptions {
  /** Go durations, e.g. "2s", "24h". */
  pendingExpiration?: string;
  deniedExpiration?: string;
  approvedExpiration?: string;
  interval?: string;
}

export interface StartOptions {
  binary: string;
  stateDir: string;
  ports?: Partial<KubeServerState["ports"]>;
  /** Watches end after 1-2x this many seconds (kube-apiserver --min-request-timeout). */
  minRequestTimeoutSeconds?: number;
  cleaner?: CleanerOptions;
  readyTimeoutMs?: number;
  /**
   * The server shuts itself down when this process exits. Test runners pass their own pid so a
   * run killed before its teardown leaves no server behind; the CLI's `start` does not.
   */
  exitWithPid?: number;
  /**
   * Keep the CA, the service-account key and etcd's data in the state folder, and reuse what an
   * earlier start left there: `restartServer` then brings back the same cluster (same objects,
   * uids and resourceVersions, same CA, so clients keep trusting it and logging in).
   */
  keepState?: boolean;
}

/** Refuses to start over the state of an earlier server, alive or not. */
function assertNoEarlierServer(stateDir: string): void {
  const earlier = readState(stateDir);
  if (earlier === undefined) return;
  if (groupAlive(earlier.pid)) {
    throw new KubeServerError(
      `A kube-server from an earlier run is still running (pid ${earlier.pid}, ${earlier.apiserverUrl}, state in ${stateDir}).`,
      `use it as is, or stop it with \`npm run kube-server -- stop\` (state dir ${stateDir})`,
    );
  }
  throw new KubeServerError(
    `A stale state file from an earlier kube-server (pid ${earlier.pid}, no longer running) is in ${stateDir}.`,
    `run \`npm run kube-server -- stop\` to clear it (state dir ${stateDir}), then start again`,
  );
}

async function pickPorts(
  wanted: Partial<KubeServerState["ports"]>,
): Promise<KubeServerState["ports"]> {
  const pick = async (port: number | undefined, what: string): Promise<number> => {
    if (port === undefined) return freePort();
    await assertPortFree(port, what);
    return port;
  };
  return {
    apiserver: await pick(wanted.apiserver, "kube-apiserver"),
    etcdClient: await pick(wanted.etcdClient, "etcd client"),
    etcdPeer: await pick(wanted.etcdPeer, "etcd peer"),
    admin: await pick(wanted.admin, "kube-server admin"),
  };
}

function serverArgs(opts: StartOptions, ports: KubeServerState["ports"]): string[] {
  const args = [
    `--state-dir=${opts.stateDir}`,
    `--apiserver-port=${ports.apiserver}`,
    `--etcd-client-port=${ports.etcdClient}`,
    `--etcd-peer-port=${ports.etcdPeer}`,
    `--admin-port=${ports.admin}`,
    ...startManifests.map((m) => `--manifest=${m}`),
  ];
  if (opts.minRequestTimeoutSeconds !== undefined) {
    args.push(`--min-request-timeout=${opts.minRequestTimeoutSeconds}`);
  }
  if (opts.exitWithPid !== undefined) args.push(`--exit-with-pid=${opts.exitWithPid}`);
  if (opts.keepState === true) args.push("--keep-state");
  const c = opts.cleaner ?? {};
  if (c.pendingExpiration !== undefined)
    args.push(`--csr-pending-expiration=${c.pendingExpiration}`);
  if (c.deniedExpiration !== undefined) args.push(`--csr-denied-expiration=${c.deniedExpiration}`);
  if (c.approvedExpiration !== undefined)
    args.push(`--csr-approved-expiration=${c.approvedExpiration}`);
  if (c.interval !== undefined) args.push(`--csr-cleaner-interval=${c.interval}`);
  return args;
}

/** How many times a start is tried when a port picked here was taken before the server bound it. */
export const PORT_CLASH_ATTEMPTS = 5;

/**
 * Starts the server detached, in its own process group (so `stop` can end it and everything it
 * started, and so Ctrl-C in the launcher's terminal does not reach it), and waits until it is
 * ready: apiserver ready, RBAC manifests applied, controllers running, kubeconfigs written.
 *
 * Free ports are found by binding port 0 and closing it; the Go server binds them a moment later,
 * and another process (a parallel test run, another server) may take one in between. The server
 * then exits with "address already in use", and the start is tried again on newly picked ports
 * (only the ports picked here change; a port the caller named is never replaced).
 */
export async function startServer(opts: StartOptions): Promise<KubeServerState> {
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  assertNoEarlierServer(opts.stateDir);
  const wanted = opts.ports ?? {};
  const anyPicked =
    wanted.apiserver === undefined ||
    wanted.etcdClient === undefined ||
    wanted.etcdPeer === undefined ||
    wanted.admin === undefined;
  for (let attempt = 1; ; attempt++) {
    const ports = await pickPorts(wanted);
    const started = await launch(opts, ports);
    if (started.ok) return started.state;
    if (!started.portClash || !anyPicked || attempt >= PORT_CLASH_ATTEMPTS) throw started.error;
  }
}

type Launch =
  { ok: true; state: KubeServerState } | { ok: false; portClash: boolean; error: KubeServerError };

async function launch(opts: StartOptions, ports: KubeServerState["ports"]): Promise<Launch> {
  const log = join(opts.stateDir, "server.log");
  // A kept cluster keeps its log too: a restart appends to what the earlier start wrote.
  const fd = openSync(log, opts.keepState === true ? "a" : "w");
  const child = spawn(opts.binary, serverArgs(opts, ports), {
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  let exited: string | undefined;
  child.on("exit", (code, signal) => {
    exited = signal === null ? `exit code ${code}` : `signal ${signal}`;
  });
  const spawnError = new Promise<Error>((resolveError) => child.once("error", resolveError));
  child.unref();
  if (child.pid === undefined) {
    const err = await spawnError;
    throw new KubeServerError(
      `Could not run ${opts.binary}: ${err.message}`,
      "rebuild with `npm run kube-server -- build`",
      { cause: err },
    );
  }
  const state: KubeServerState = {
    pid: child.pid,
    version: kubernetesVersion(),
    binary: opts.binary,
    stateDir: opts.stateDir,
    apiserverUrl: `https://127.0.0.1:${ports.apiserver}`,
    adminUrl: `http://127.0.0.1:${ports.admin}`,
    adminTokenFile: join(opts.stateDir, "admin-token"),
    caFile: join(opts.stateDir, "pki", "ca.crt"),
    log,
    ports,
    kubeconfigs: {
      admin: join(opts.stateDir, "admin.kubeconfig"),
      app: join(opts.stateDir, "app.kubeconfig"),
      node: join(opts.stateDir, "node.kubeconfig"),
      user: join(opts.stateDir, "user.kubeconfig"),
    },
    startedAt: new Date().toISOString(),
  };
  // Written before readiness so that `stop` finds even a server that hangs while starting.
  writeState(state);
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  // Ready only while our own process runs: a clash on the admin port could otherwise let another
  // server's /readyz answer for ours.
  while (!((await isReady(state.adminUrl)) && exited === undefined)) {
    if (exited !== undefined || Date.now() > deadline) {
      const why =
        exited !== undefined ? `exited (${exited})` : `was not ready after ${timeoutMs / 1000}s`;
      await stopGroup(state.pid, 5_000);
      removeState(opts.stateDir);
      const tail = logTail(log);
      const portClash = /address already in use/i.test(tail);
      return {
        ok: false,
        portClash,
        error: new KubeServerError(
          `The kube-server ${why}. Last lines of its log:\n${tail}\n  full log: ${log}`,
          portClash
            ? `a port was taken by another process ${PORT_CLASH_ATTEMPTS} times in a row, or a port you named is in use: free it, or start again`
            : "read the log above; if the binary is stale, `npm run kube-server -- build` rebuilds when sources change",
        ),
      };
    }
    await sleep(200);
  }
  return { ok: true, state };
}

export async function isReady(adminUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${adminUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Stops the server of a state folder and clears its state; says what it found. */
export async function stopServer(stateDir: string): Promise<string> {
  const state = readState(stateDir);
  if (state === undefined) return `no kube-server state in ${stateDir}; nothing to stop`;
  const outcome = await stopGroup(state.pid);
  if (groupAlive(state.pid)) {
    throw new KubeServerError(
      `kube-server process group ${state.pid} is still alive after SIGKILL.`,
      `inspect it with \`ps -g ${state.pid}\``,
    );
  }
  removeState(stateDir);
  return outcome === "not running"
    ? `kube-server (pid ${state.pid}) was not running; cleared its stale state in ${stateDir}`
    : `kube-server (pid ${state.pid}) stopped (${outcome}); no process left`;
}

/**
 * An apiserver restart that keeps the cluster: stops the server of `opts.stateDir` (SIGTERM, the
 * graceful shutdown a rolling restart does), runs `whileDown`, and starts it again with the same
 * state folder and the same ports, so clients reach it at the same address with the same CA and
 * find the same objects. Only for a server started with `keepState` (otherwise its data is gone).
 */
export async function restartServer(
  opts: StartOptions,
  whileDown: () => Promise<void> = () => Promise.resolve(),
): Promise<KubeServerState> {
  if (opts.keepState !== true) {
    throw new KubeServerError(
      "Only a kube-server started with keepState keeps its cluster across a restart.",
      "start it with keepState: true",
    );
  }
  const before = readState(opts.stateDir);
  if (before === undefined) {
    throw new KubeServerError(
      `No running kube-server in ${opts.stateDir} to restart.`,
      "start it first with startServer",
    );
  }
  await stopServer(opts.stateDir);
  await whileDown();
  return startServer({ ...opts, ports: before.ports });
}
