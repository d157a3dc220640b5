/**
 * Starts the GitHub simulator as an HTTP server:
 *   npm run github-sim -- --seed test/github-sim/seeds/example.yaml [--port N]
 * Prints the API base URL (and, when the seed generates the app key, where the key was written).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { startServer } from "./server.ts";
import { GitHubSimulator } from "./simulator.ts";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seed: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
    strict: true,
  });
  if (values.seed === undefined) {
    process.stderr.write(
      "usage: npm run github-sim -- --seed FILE [--port N] [--host 127.0.0.1]\n",
    );
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`github-sim: --port must be 0-65535, got ${values.port ?? ""}\n`);
    return 2;
  }
  const seedText = await readFile(values.seed, "utf8");
  const sim = await GitHubSimulator.create({
    seed: seedText,
    seedDir: path.dirname(path.resolve(values.seed)),
  });
  const server = await startServer(sim, {
    port,
    deliverWebhooks: true,
    ...(values.host === undefined ? {} : { host: values.host }),
  });
  process.stdout.write(`GitHub simulator listening on ${server.url}\n`);
  const key = sim.appPrivateKey();
  let keyDir: string | undefined;
  if (key !== undefined) {
    keyDir = await mkdtemp(path.join(tmpdir(), "github-sim-key-"));
    const file = path.join(keyDir, "app.private-key.pem");
    await writeFile(file, key, { mode: 0o600 });
    process.stdout.write(`App private key: ${file}\n`);
  }
  for (const repo of sim.state.repos.values()) {
    process.stdout.write(`Repository ${repo.owner}/${repo.name}: ${repo.git.path}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  await sim.close();
  // The generated key is only good for this run: leave nothing behind.
  if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
  return 0;
}

process.exitCode = await main();
