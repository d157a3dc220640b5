import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const kubeconfigs = z.object({
  admin: z.string(),
  app: z.string(),
  node: z.string(),
  user: z.string(),
});

/** What a running server left behind: enough to reach it, use it and stop it. */
export const KubeServerState = z.object({
  pid: z.number().int().positive(),
  version: z.string(),
  binary: z.string(),
  stateDir: z.string(),
  apiserverUrl: z.string(),
  adminUrl: z.string(),
  adminTokenFile: z.string(),
  caFile: z.string(),
  log: z.string(),
  ports: z.object({
    apiserver: z.number().int(),
    etcdClient: z.number().int(),
    etcdPeer: z.number().int(),
    admin: z.number().int(),
  }),
  kubeconfigs,
  startedAt: z.string(),
});
export type KubeServerState = z.infer<typeof KubeServerState>;
export type Identity = keyof z.infer<typeof kubeconfigs>;

export function stateFile(stateDir: string): string {
  return join(stateDir, "state.json");
}

export function readState(stateDir: string): KubeServerState | undefined {
  const path = stateFile(stateDir);
  if (!existsSync(path)) return undefined;
  return KubeServerState.parse(JSON.parse(readFileSync(path, "utf8")));
}

export function writeState(state: KubeServerState): void {
  writeFileSync(stateFile(state.stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeState(stateDir: string): void {
  rmSync(stateFile(stateDir), { force: true });
}
