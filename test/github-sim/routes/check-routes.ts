import { actorLogin } from "../auth.ts";
import { routeRepo } from "./route-repo.ts";
import { checkRunEvent } from "../events/payloads.ts";
import { GitHubHttpError } from "../http-error.ts";
import { checkRun } from "../present/check-run.ts";
import type { CheckRun, Repo } from "../state/model.ts";
import { bodyObject, intParam, optString, reqString } from "./body.ts";
import { paginate } from "./paginate.ts";
import { json, type Route, type RouteContext, type RouteRequest } from "./route.ts";

function repoOf(ctx: RouteContext, req: RouteRequest, need: "read" | "write"): Repo {
  if (need === "write" && req.actor.kind !== "installation") {
    // Only GitHub Apps may write check runs.
    throw new GitHubHttpError(403, "You must authenticate via a GitHub App.");
  }
  return routeRepo(ctx, req, "checks", need);
}

type Status = CheckRun["status"];

function applyFields(run: CheckRun, body: Record<string, unknown>, nowMs: number): void {
  const name = optString(body, "name");
  if (name !== undefined) run.name = name;
  const status = optString(body, "status") as Status | undefined;
  const conclusion = optString(body, "conclusion");
  const startedAt = optString(body, "started_at");
  const completedAt = optString(body, "completed_at");
  const detailsUrl = optString(body, "details_url");
  const externalId = optString(body, "external_id");
  if (detailsUrl !== undefined) run.detailsUrl = detailsUrl;
  if (externalId !== undefined) run.externalId = externalId;
  if (startedAt !== undefined) run.startedAtMs = Date.parse(startedAt);
  if (status !== undefined) run.status = status;
  if (conclusion !== undefined) {
    // A conclusion completes the run, as on GitHub.
    run.conclusion = conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") {
    if (run.conclusion === null)
      throw new GitHubHttpError(
        422,
        "Invalid request.\n\nNo conclusion given for a completed check run.",
      );
    run.completedAtMs =
      completedAt === undefined ? (run.completedAtMs ?? nowMs) : Date.parse(completedAt);
  }
  const output = body.output;
  if (typeof output === "object" && output !== null) {
    const o = output as Record<string, unknown>;
    run.output = {
      title: optString(o, "title") ?? run.output.title,
      summary: optString(o, "summary") ?? run.output.summary,
      text: optString(o, "text") ?? run.output.text,
    };
  }
}

export const checkRoutes: readonly Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/check-runs",
    operationId: "checks/create",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const body = bodyObject(req.body);
      const headSha = reqString(body, "head_sha");
      if (!/^[0-9a-f]{40}$/.test(headSha) || (await repo.git.readCommit(headSha)) === undefined) {
        throw new GitHubHttpError(422, `No commit found for SHA: ${headSha}`);
      }
      const now = ctx.state.clock.now();
      const run: CheckRun = {
        id: ctx.state.nextId(),
        headSha,
        name: reqString(body, "name"),
        status: "queued",
        conclusion: null,
        startedAtMs: now,
        completedAtMs: undefined,
        externalId: null,
        detailsUrl: null,
        output: { title: null, summary: null, text: null },
        appId: ctx.state.app?.id ?? 0,
      };
      applyFields(run, body, now);
      repo.checkRuns.push(run);
      const sender = actorLogin(ctx.state, req.actor);
      checkRunEvent(ctx, repo, run, "created", sender);
      if (run.status === "completed") checkRunEvent(ctx, repo, run, "completed", sender);
      const out = checkRun(ctx.state, repo, run, ctx.urls);
      return json(201, out, { location: String(out.url) });
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    operationId: "checks/update",
    handle(ctx, req) {
      const repo = repoOf(ctx, req, "write");
      const run = repo.checkRuns.find((c) => c.id === intParam(req.params, "check_run_id"));
      if (run === undefined) throw new GitHubHttpError(404, "Not Found");
      const wasCompleted = run.status === "completed";
      applyFields(run, bodyObject(req.body), ctx.state.clock.now());
      if (!wasCompleted && run.status === "completed") {
        checkRunEvent(ctx, repo, run, "completed", actorLogin(ctx.state, req.actor));
      }
      return Promise.resolve(json(200, checkRun(ctx.state, repo, run, ctx.urls)));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    operationId: "checks/list-for-ref",
    async handle(ctx, req) {
      const repo = repoOf(ctx, req, "read");
      const sha = await repo.git.resolveCommit(req.params.ref ?? "");
      if (sha === undefined)
        throw new GitHubHttpError(422, `No commit found for SHA: ${req.params.ref ?? ""}`);
      const name = req.query.get("check_name");
      const status = req.query.get("status");
      let runs = repo.checkRuns.filter(
        (c) =>
          c.headSha === sha &&
          (name === null || c.name === name) &&
          (status === null || c.status === status),
      );
      if ((req.query.get("filter") ?? "latest") === "latest") {
        // The most recent run of each name.
        const latest = new Map<string, CheckRun>();
        for (const r of runs) latest.set(r.name, r);
        runs = [...latest.values()];
      }
      runs = [...runs].reverse();
      const { page, headers } = paginate(runs, req.query, req.url);
      return json(
        200,
        {
          total_count: runs.length,
          check_runs: page.map((r) => checkRun(ctx.state, repo, r, ctx.urls)),
        },
        headers,
      );
    },
  },
];
