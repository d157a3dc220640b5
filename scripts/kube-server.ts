/**
 * `npm run kube-server -- build|start|stop|status [--state-dir DIR]`: the real Kubernetes API
 * server used by the tests and the demo (test/kube-server/). See docs/kube-server.md.
 */
import { ensureBuilt } from "../test/kube-server/launcher/build.ts";
import { KubeServerError } from "../test/kube-server/launcher/kube-server-error.ts";
import { defaultStateDir } from "../test/kube-server/launcher/paths.ts";
import { groupAlive } from "../test/kube-server/launcher/process-group.ts";
import { isReady, startServer, stopServer } from "../test/kube-server/launcher/server.ts";
import { readState } from "../test/kube-server/launcher/state.ts";

function announceBuild(log: string): void {
  console.error(
    `building the Kubernetes test server (the first build takes many minutes); log: ${log}`,
  );
}

const usage =
  "usage: npm run kube-server -- build|start|stop|status [--state-dir DIR] [--apiserver-port PORT]";

interface Args {
  command: string | undefined;
  stateDir: string;
  apiserverPort: number | undefined;
}

function parseArgs(argv: string[]): Args {
  let stateDir = defaultStateDir(process.env);
  let apiserverPort: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--state-dir") {
      const value = argv[++i];
      if (value === undefined) throw new KubeServerError("--state-dir needs a folder", usage);
      stateDir = value;
    } else if (arg?.startsWith("--state-dir=") === true) {
      stateDir = arg.slice("--state-dir=".length);
    } else if (arg === "--apiserver-port") {
      apiserverPort = Number(argv[++i]);
      if (!Number.isInteger(apiserverPort) || apiserverPort <= 0 || apiserverPort > 65535) {
        throw new KubeServerError("--apiserver-port needs a port number", usage);
      }
    } else if (arg !== undefined) {
      rest.push(arg);
    }
  }
  return { command: rest[0], stateDir, apiserverPort };
}

async function main(): Promise<void> {
  const { command, stateDir, apiserverPort } = parseArgs(process.argv.slice(2));
  switch (command) {
    case "build": {
      const result = await ensureBuilt(process.env, announceBuild);
      console.log(
        result.built
          ? `built ${result.binary} in ${result.seconds.toFixed(1)}s`
          : `up to date: ${result.binary}`,
      );
      return;
    }
    case "start": {
      const { binary } = await ensureBuilt(process.env, announceBuild);
      const started = performance.now();
      const state = await startServer({
        binary,
        stateDir,
        ...(apiserverPort === undefined ? {} : { ports: { apiserver: apiserverPort } }),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`kube-server ${state.version} ready in ${seconds}s (pid ${state.pid})`);
      console.log(`  apiserver:   ${state.apiserverUrl}`);
      for (const [id, path] of Object.entries(state.kubeconfigs)) {
        console.log(`  ${`${id}:`.padEnd(12)} KUBECONFIG=${path}`);
      }
      console.log(`  state:       ${stateDir}/state.json (log: ${state.log})`);
      console.log("  stop with:   npm run kube-server -- stop");
      return;
    }
    case "stop":
      console.log(await stopServer(stateDir));
      return;
    case "status": {
      const state = readState(stateDir);
      if (state === undefined) {
        console.log(`not running (no state in ${stateDir})`);
      } else if (!groupAlive(state.pid)) {
        console.log(
          `not running: stale state of pid ${state.pid}; clear it with \`npm run kube-server -- stop\``,
        );
        process.exitCode = 1;
      } else {
        const ready = await isReady(state.adminUrl);
        console.log(
          `running: pid ${state.pid}, ${state.apiserverUrl}, ${ready ? "ready" : "NOT ready"}`,
        );
        console.log(`  kubeconfigs in ${stateDir}; log: ${state.log}`);
      }
      return;
    }
    case undefined:
    default:
      throw new KubeServerError(`unknown command ${JSON.stringify(command ?? "")}`, usage);
  }
}

try {
  await main();
} catch (err) {
  if (err instanceof KubeServerError) {
    console.error(`kube-server: ${err.message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
