import type { CliIo } from "../../cli/main.ts";
import type { AuditSettings, AuditSources } from "../run-audit.ts";

export interface WatchOptions {
  readonly settings: AuditSettings;
  readonly sources: AuditSources;
  readonly intervalMs: number;
  readonly port: number;
  readonly host: string;
  readonly io: CliIo;
}

export function watchAudit(options: WatchOptions): Promise<number> {
  options.io.stderr.write("csr-gitops audit: --watch is not built yet\n");
  return Promise.resolve(2);
}
