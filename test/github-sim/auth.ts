import { createPublicKey, randomBytes, verify } from "node:crypto";
import { GitHubHttpError } from "./http-error.ts";
import type { Actor, Repo } from "./state/model.ts";
import { atLeast, type SimState } from "./state/sim-state.ts";
import { installationFor } from "./events/installation-for.ts";

const TOKEN_TTL_MS = 60 * 60 * 1000;
const MAX_JWT_LIFETIME_S = 10 * 60;

function badCredentials(): GitHubHttpError {
  return new GitHubHttpError(401, "Bad credentials");
}

function jwtError(message: string): GitHubHttpError {
  return new GitHubHttpError(401, message, {
    documentationUrl: "https://docs.github.com/rest/apps/apps#get-the-authenticated-app",
  });
}

function decodePart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  if (typeof value !== "object" || value === null) throw new Error("not an object");
  return value as Record<string, unknown>;
}

/**
 * Verifies an app JWT as GitHub does: RS256 signed by the app's key, `iss` the app id, `exp` not
 * past and at most 10 minutes ahead of the simulator's clock.
 */
export function verifyAppJwt(state: SimState, jwt: string): Actor {
  const app = state.app;
  const parts = jwt.split(".");
  const [h, p, sig] = parts;
  if (
    app === undefined ||
    parts.length !== 3 ||
    h === undefined ||
    p === undefined ||
    sig === undefined
  ) {
    throw jwtError("A JSON web token could not be decoded");
  }
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodePart(h);
    payload = decodePart(p);
  } catch {
    throw jwtError("A JSON web token could not be decoded");
  }
  if (header.alg !== "RS256") throw jwtError("A JSON web token could not be decoded");
  const ok = verify(
    "RSA-SHA256",
    Buffer.from(`${h}.${p}`),
    createPublicKey(app.publicKeyPem),
    Buffer.from(sig, "base64url"),
  );
  if (!ok) throw jwtError("A JSON web token could not be decoded");
  if (String(payload.iss) !== String(app.id)) throw jwtError("Integration not found");
  const now = Math.floor(state.clock.now() / 1000);
  const exp = payload.exp;
  const iat = payload.iat;
  if (typeof iat !== "number" || !Number.isInteger(iat)) {
    throw jwtError(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    );
  }
  if (typeof exp !== "number" || exp <= now) {
    throw jwtError(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    );
  }
  if (exp > now + MAX_JWT_LIFETIME_S)
    throw jwtError("'Expiration time' claim ('exp') is too far in the future.");
  if (iat > now + 60)
    throw jwtError(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    );
  return { kind: "app", appId: app.id };
}

/** Who a request's Authorization header names; invalid or expired credentials are a 401 as on GitHub. */
export function authenticate(state: SimState, authorization: string | null): Actor {
  if (authorization === null || authorization.trim() === "") return { kind: "anonymous" };
  const m = /^(bearer|token)\s+(\S+)$/i.exec(authorization.trim());
  const credential = m?.[2];
  if (credential === undefined) throw badCredentials();
  if (credential.split(".").length === 3 && !credential.startsWith("gh"))
    return verifyAppJwt(state, credential);
  const record = state.tokens.get(credential);
  if (record === undefined) throw badCredentials();
  if (record.kind === "user") return { kind: "user", login: record.login };
  if (record.expiresAtMs <= state.clock.now()) throw badCredentials();
  return { kind: "installation", installationId: record.installationId, token: credential };
}

/** Issues an installation token valid for one hour of simulated time. */
export function issueInstallationToken(
  state: SimState,
  installationId: number,
  narrow: {
    repositoryIds?: readonly number[];
    permissions?: Readonly<Record<string, string>>;
  } = {},
): { token: string; expiresAtMs: number } {
  const token = `ghs_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x")}`;
  const expiresAtMs = state.clock.now() + TOKEN_TTL_MS;
  state.tokens.set(token, { kind: "installation", installationId, expiresAtMs, ...narrow });
  return { token, expiresAtMs };
}

/** The account an actor acts as: the person, or the app's bot for installation tokens. */
export function actorLogin(state: SimState, actor: Actor): string {
  switch (actor.kind) {
    case "user":
      return actor.login;
    case "installation":
    case "app":
      if (state.app === undefined) throw badCredentials();
      return state.app.botLogin;
    case "anonymous":
      throw new GitHubHttpError(401, "Requires authentication");
  }
}

export type RepoScope =
  "contents" | "pull_requests" | "issues" | "checks" | "metadata" | "administration";

/**
 * Can the actor see the repository (else 404, as GitHub hides private repos), and do the scoped
 * action with `need` ("read" or "write")? Installations are limited by their permissions, people by
 * their repository permission.
 */
export function authorizeRepo(
  state: SimState,
  actor: Actor,
  repo: Repo,
  scope: RepoScope,
  need: "read" | "write",
): void {
  switch (actor.kind) {
    case "anonymous":
      if (repo.private) throw new GitHubHttpError(404, "Not Found");
      if (need === "write") throw new GitHubHttpError(401, "Requires authentication");
      return;
    case "app":
      throw new GitHubHttpError(403, "Resource not accessible by integration");
    case "installation": {
      const inst = installationFor(state, repo);
      if (inst?.id !== actor.installationId) throw new GitHubHttpError(404, "Not Found");
      // A token narrowed at creation reaches only the repositories and permissions it names.
      const record = state.tokens.get(actor.token);
      const narrowed = record?.kind === "installation" ? record : undefined;
      if (narrowed?.repositoryIds !== undefined && !narrowed.repositoryIds.includes(repo.id)) {
        throw new GitHubHttpError(404, "Not Found");
      }
      if (scope === "metadata") return;
      const granted = (narrowed?.permissions ?? inst.permissions)[scope];
      if (granted === undefined || (need === "write" && granted === "read")) {
        throw new GitHubHttpError(403, "Resource not accessible by integration");
      }
      return;
    }
    case "user": {
      const perm = state.permissionOf(repo, actor.login);
      if (perm === undefined && repo.private) throw new GitHubHttpError(404, "Not Found");
      if (
        need === "write" &&
        scope !== "issues" &&
        scope !== "pull_requests" &&
        !atLeast(perm, "write")
      ) {
        throw new GitHubHttpError(403, "Must have push access to repository");
      }
      if (scope === "administration" && !atLeast(perm, "admin")) {
        throw new GitHubHttpError(403, "Must have admin rights to Repository.");
      }
      return;
    }
  }
}
