/**
 * `csr-gitops serve` as its own process, configured only through environment variables, exactly
 * as deploy/ configures it (APP_ID, PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, ...), and started
 * as the container image starts it: from the image's files laid out in a folder of their own (the
 * bundle, no node_modules; scripts/image-layout.ts), with the image's node flags and environment.
 * Its JSON log lines are kept (and written to a file when asked) so a run can say what the app did.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  assembleImage,
  IMAGE_DIR_ENV,
  IMAGE_ENTRYPOINT_ARGS,
  IMAGE_ENV,
} from "../../../scripts/image-layout.ts";
import { until } from "../../kube/until.ts";
import type { Cleanup } from "./cleanup.ts";

let image: string | undefined;

/**
 * The image's folder: the test run's (laid out once by the kube project's global setup), or, for
 * the demo outside the tests, one laid out on first use and removed by `cleanup`.
 */
function imageFolder(cleanup: Cleanup): string {
  const provided = process.env[IMAGE_DIR_ENV];
  if (provided !== undefined) return provided;
  if (image === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "csr-gitops-image-"));
    cleanup.add("remove the image's folder", () => {
      rmSync(dir, { recursive: true, force: true });
      image = undefined;
    });
    assembleImage(dir);
    image = dir;
  }
  return image;
}

export interface LogLine {
  readonly msg?: string;
  readonly level?: number;
  readonly port?: number;
  readonly [field: string]: unknown;
}

export interface ServeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly stderr: string[];
  /** The port it listens on (known once it logs "serving"). */
  readonly port: number;
  readonly url: string;
  /** SIGTERM, and the exit code (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing finished, the Lease not released. */
  kill(): Promise<void>;
  exited(): boolean;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
}

/** Starts serve with exactly `env` (plus PATH), waits until it listens and answers /readyz. */
export async function startServe(
  cleanup: Cleanup,
  name: string,
  env: Readonly<Record<string, string>>,
  logFile?: string,
): Promise<ServeProcess> {
  const dir = imageFolder(cleanup);
  const child = spawn(process.execPath, [...IMAGE_ENTRYPOINT_ARGS, "serve"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...IMAGE_ENV, ...env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  const file = logFile === undefined ? undefined : createWriteStream(logFile, { flags: "a" });
  createInterface({ input: child.stdout }).on("line", (line) => {
    file?.write(`${line}\n`);
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      lines.push({ msg: `(not JSON) ${line}` });
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr.push(chunk.toString("utf8"));
    file?.write(chunk);
  });
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await exitOf(child);
    clearTimeout(timer);
    return code;
  };
  cleanup.add(`stop serve ${name}`, async () => {
    await stop();
    file?.end();
  });
  const serving = await until(
    `serve ${name} to listen`,
    () => {
      if (child.exitCode !== null)
        throw new Error(`serve ${name} exited ${String(child.exitCode)}: ${stderr.join("")}`);
      return lines.find((l) => l.msg === "serving");
    },
    180_000,
  );
  const port = serving.port ?? 0;
  const url = `http://127.0.0.1:${String(port)}`;
  await until(
    `serve ${name} to be ready`,
    async () => {
      try {
        return (await fetch(`${url}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    180_000,
  );
  return {
    name,
    child,
    lines,
    stderr,
    port,
    url,
    stop,
    async kill() {
      child.kill("SIGKILL");
      await exitOf(child);
    },
    exited: () => child.exitCode !== null || child.signalCode !== null,
  };
}
