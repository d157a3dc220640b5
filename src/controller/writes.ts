/**
 * Every write the controller makes, to GitHub and to Kubernetes, behind one interface: the live
 * implementation calls the adapters; the dry-run one logs each write it would make, makes none,
 * and answers as if it had succeeded so the whole sequence is shown.
 */
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { createBranch } from "../github/branches.ts";
import { createCheckRun, findCheckRun, type CheckRunInput } from "../github/check-runs.ts";
import { createFile, type PutFileResult } from "../github/files.ts";
import { addComment, addLabels } from "../github/issues.ts";
import { closePull, createPull, type CreatePullResult } from "../github/pulls.ts";
import type { GitHub, RepoRef } from "../github/repo-ref.ts";
import type { ControllerEvents } from "./controller-events.ts";

export interface DenyRequest {
  readonly cluster: string;
  /** The CSR object just read: its uid and resourceVersion are the write's preconditions. */
  readonly csr: V1CertificateSigningRequest;
  readonly reason: string;
  readonly message: string;
}

export interface ControllerWrites {
  readonly createBranch: (branch: string, sha: string) => Promise<"created" | "exists">;
  readonly createFile: (args: {
    path: string;
    branch: string;
    message: string;
    text: string;
  }) => Promise<PutFileResult>;
  /** Creates the check run unless one of that name is on the commit already. */
  readonly ensureCheckRun: (run: CheckRunInput, knownAbsent: boolean) => Promise<void>;
  readonly createPull: (args: {
    branch: string;
    base: string;
    title: string;
    body: string;
  }) => Promise<CreatePullResult>;
  readonly addLabels: (pull: number, labels: readonly string[]) => Promise<void>;
  readonly addComment: (pull: number, body: string) => Promise<void>;
  readonly closePull: (pull: number) => Promise<void>;
  readonly denyCsr: (request: DenyRequest) => Promise<void>;
}

export function liveWrites(
  gh: GitHub,
  repo: RepoRef,
  deny: (request: DenyRequest) => Promise<void>,
): ControllerWrites {
  return {
    createBranch: (branch, sha) => createBranch(gh, repo, branch, sha),
    createFile: (args) => createFile(gh, repo, args),
    async ensureCheckRun(run, knownAbsent) {
      if (!knownAbsent && (await findCheckRun(gh, repo, run.headSha, run.name)) !== undefined) {
        return;
      }
      await createCheckRun(gh, repo, run);
    },
    createPull: (args) => createPull(gh, repo, args),
    addLabels: (pull, labels) => addLabels(gh, repo, pull, labels),
    addComment: (pull, body) => addComment(gh, repo, pull, body),
    closePull: (pull) => closePull(gh, repo, pull),
    denyCsr: deny,
  };
}

const DRY_SHA = "0".repeat(40);

/** Logs every write (level info, `dryRun: true`) and counts it; makes none. */
export function dryRunWrites(events: ControllerEvents): ControllerWrites {
  const would = (write: string, fields: Record<string, unknown>): void => {
    events.log("info", `dry run: would ${write}`, { dryRun: true, write, ...fields });
    events.count("dry_run_write", { write });
  };
  return {
    createBranch(branch, sha) {
      would("create branch", { branch, sha });
      return Promise.resolve("created");
    },
    createFile(args) {
      would("commit file", { path: args.path, branch: args.branch, message: args.message });
      return Promise.resolve({ kind: "created", blobSha: DRY_SHA, commitSha: DRY_SHA });
    },
    ensureCheckRun(run) {
      would("create check run", { name: run.name, headSha: run.headSha, title: run.title });
      return Promise.resolve();
    },
    createPull(args) {
      would("open pull request", { branch: args.branch, base: args.base, title: args.title });
      return Promise.resolve({
        kind: "created",
        pull: {
          number: 0,
          state: "open",
          merged: false,
          headRef: args.branch,
          headSha: DRY_SHA,
          labels: [],
          createdAt: new Date(0).toISOString(),
        },
      });
    },
    addLabels(pull, labels) {
      would("add labels", { pull, labels });
      return Promise.resolve();
    },
    addComment(pull, body) {
      would("comment", { pull, body });
      return Promise.resolve();
    },
    closePull(pull) {
      would("close pull request", { pull });
      return Promise.resolve();
    },
    denyCsr(request) {
      would("deny CSR", {
        cluster: request.cluster,
        csr: request.csr.metadata?.name,
        reason: request.reason,
      });
      return Promise.resolve();
    },
  };
}
