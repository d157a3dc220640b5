import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { SimClock } from "../clock.ts";
import { GitRepository, type GitIdentity } from "../git/git-repository.ts";
import { createWebFlowKey, type WebFlowKey } from "../git/web-flow-key.ts";
import { notFound } from "../http-error.ts";
import type { Seed } from "../seed/seed-schema.ts";
import type { Account, App, Permission, Repo, Team, TeamMembership } from "./model.ts";

export type TokenRecord =
  | {
      readonly kind: "installation";
      readonly installationId: number;
      readonly expiresAtMs: number;
      /** Narrowed at creation (`repositories` / `repository_ids`): only these repository ids. */
      readonly repositoryIds?: readonly number[];
      /** Narrowed at creation (`permissions`): these instead of the installation's. */
      readonly permissions?: Readonly<Record<string, string>>;
    }
  | { readonly kind: "user"; readonly login: string };

const key = (...parts: string[]): string => parts.map((p) => p.toLowerCase()).join("/");

const PERMISSION_RANK: Record<Permission, number> = {
  read: 1,
  triage: 2,
  write: 3,
  maintain: 4,
  admin: 5,
};

export function atLeast(have: Permission | undefined, need: Permission): boolean {
  return have !== undefined && PERMISSION_RANK[have] >= PERMISSION_RANK[need];
}

/** Everything the simulator knows: accounts, teams, repositories (each a bare git repo), the app, tokens. */
export class SimState {
  readonly clock: SimClock;
  readonly accounts = new Map<string, Account>();
  readonly orgMembers = new Map<string, Set<string>>();
  readonly teams = new Map<string, Team>();
  readonly repos = new Map<string, Repo>();
  readonly tokens = new Map<string, TokenRecord>();
  app: App | undefined;
  /** The stand-in for GitHub's web-flow signing key (see git/web-flow-key.ts). */
  readonly webFlowKey: WebFlowKey;
  private lastId = 1000;

  private constructor(clock: SimClock, webFlowKey: WebFlowKey) {
    this.clock = clock;
    this.webFlowKey = webFlowKey;
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  static async fromSeed(
    seed: Seed,
    opts: { clock: SimClock; gitRoot: string; seedDir: string },
  ): Promise<SimState> {
    const s = new SimState(opts.clock, await createWebFlowKey(opts.gitRoot));
    const now = opts.clock.now();
    for (const u of seed.users) {
      s.addAccount({
        login: u.login,
        type: "User",
        name: u.name,
        email: u.email,
        siteAdmin: u.site_admin,
      });
      if (u.token !== undefined) s.tokens.set(u.token, { kind: "user", login: u.login });
    }
    for (const o of seed.orgs) {
      s.addAccount({
        login: o.login,
        type: "Organization",
        name: o.name,
        email: undefined,
        siteAdmin: false,
      });
      s.orgMembers.set(o.login.toLowerCase(), new Set(o.members.map((m) => m.toLowerCase())));
      for (const t of o.teams) {
        const members = new Map<string, TeamMembership>();
        for (const m of t.members)
          members.set(m.toLowerCase(), { role: "member", state: "active" });
        for (const m of t.maintainers)
          members.set(m.toLowerCase(), { role: "maintainer", state: "active" });
        for (const m of t.pending)
          members.set(m.toLowerCase(), { role: "member", state: "pending" });
        s.teams.set(key(o.login, t.slug), {
          id: s.nextId(),
          org: o.login,
          slug: t.slug,
          name: t.name ?? t.slug,
          description: t.description,
          parent: t.parent,
          members,
          createdAtMs: now,
        });
      }
    }
    if (seed.app !== undefined) {
      const a = seed.app;
      let publicKeyPem: string;
      let privateKeyPem: string | undefined;
      if (a.generate_key === true) {
        const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
        publicKeyPem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
        privateKeyPem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      } else if (a.public_key !== undefined) {
        publicKeyPem = a.public_key;
      } else {
        const pem =
          a.private_key ??
          (await readFile(path.resolve(opts.seedDir, a.private_key_path ?? ""), "utf8"));
        publicKeyPem = createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
      }
      const botLogin = `${a.slug}[bot]`;
      s.addAccount({
        login: botLogin,
        type: "Bot",
        name: undefined,
        email: undefined,
        siteAdmin: false,
      });
      s.app = {
        id: a.id,
        slug: a.slug,
        name: a.name ?? a.slug,
        owner: a.owner,
        publicKeyPem,
        privateKeyPem,
        webhook: a.webhook,
        permissions: a.permissions,
        events: a.events,
        installations: new Map(
          a.installations.map((i) => [
            i.id,
            {
              id: i.id,
              account: i.account,
              repositories: i.repositories,
              permissions: i.permissions ?? a.permissions,
              createdAtMs: now,
            },
          ]),
        ),
        createdAtMs: now,
        botLogin,
      };
    }
    for (const r of seed.repos) {
      const git = await GitRepository.createBare(opts.gitRoot, `${r.owner}-${r.name}`);
      const repo: Repo = {
        id: s.nextId(),
        owner: s.account(r.owner).login,
        name: r.name,
        description: r.description,
        private: r.private,
        defaultBranch: r.default_branch,
        git,
        collaborators: new Map(
          Object.entries(r.collaborators).map(([l, p]) => [l.toLowerCase(), p]),
        ),
        teams: new Map(Object.entries(r.teams).map(([t, perm]) => [t.toLowerCase(), perm])),
        protection: new Map(Object.entries(r.protection)),
        lastPusher: new Map(),
        pulls: [],
        comments: [],
        labels: new Map(),
        checkRuns: [],
        verifiedCommits: new Set(),
        createdAtMs: now,
        pushedAtMs: now,
        nextNumber: 1,
      };
      s.repos.set(key(r.owner, r.name), repo);
      const edits = await Promise.all(
        Object.entries(r.files).map(async ([p, content]) => ({
          path: p,
          blobSha: await git.writeBlob(Buffer.from(content, "utf8")),
        })),
      );
      const tree = await git.editTree(undefined, edits);
      const who = s.identityOf(r.owner);
      const sha = await git.commitTree({
        tree,
        parents: [],
        message: "Initial commit\n",
        author: who,
        committer: who,
      });
      await git.updateRef(`refs/heads/${r.default_branch}`, sha);
      // Bare HEAD must name the default branch so `git log` in the bare repo shows it.
      await git.setHead(r.default_branch);
    }
    return s;
  }

  /** Adds a user, organisation or bot account (the seed's, and ops/bot-account.ts's bots). */
  addAccount(a: Omit<Account, "id" | "createdAtMs">): Account {
    const account: Account = { ...a, id: this.nextId(), createdAtMs: this.clock.now() };
    this.accounts.set(a.login.toLowerCase(), account);
    return account;
  }

  findAccount(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  account(login: string): Account {
    const a = this.findAccount(login);
    if (a === undefined) throw notFound();
    return a;
  }

  /** The git identity of an account at the current simulated time. */
  identityOf(login: string): GitIdentity {
    const a = this.account(login);
    const email = a.email ?? `${a.id}+${a.login}@users.noreply.github.com`;
    return { name: a.name ?? a.login, email, dateMs: this.clock.now() };
  }

  repo(owner: string, name: string): Repo {
    const r = this.repos.get(key(owner, name));
    if (r === undefined) throw notFound();
    return r;
  }

  team(org: string, slug: string): Team {
    const t = this.teams.get(key(org, slug));
    if (t === undefined) throw notFound();
    return t;
  }

  isOrg(login: string): boolean {
    return this.findAccount(login)?.type === "Organization";
  }

  isOrgMember(org: string, login: string): boolean {
    return this.orgMembers.get(org.toLowerCase())?.has(login.toLowerCase()) ?? false;
  }

  /**
   * A person's permission on a repository: the highest of owner (admin), explicit collaborator,
   * the access of each team they are an active member of (child teams inherit their parent's
   * access; a pending invitation grants nothing), and the org base permission (read).
   */
  permissionOf(repo: Repo, login: string): Permission | undefined {
    if (repo.owner.toLowerCase() === login.toLowerCase()) return "admin";
    let best: Permission | undefined = repo.collaborators.get(login.toLowerCase());
    for (const [slug, perm] of repo.teams) {
      const team = this.teams.get(key(repo.owner, slug));
      if (team === undefined || this.membership(team, login)?.state !== "active") continue;
      if (!atLeast(best, perm)) best = perm;
    }
    if (best === undefined && this.isOrg(repo.owner) && this.isOrgMember(repo.owner, login))
      return "read";
    return best;
  }

  /** A team's own access to a repository: its grant, or the highest grant of an ancestor team. */
  teamPermission(repo: Repo, team: Team): Permission | undefined {
    let best: Permission | undefined;
    const seen = new Set<string>();
    for (let t: Team | undefined = team; t !== undefined && !seen.has(t.slug);) {
      seen.add(t.slug);
      const perm = repo.teams.get(t.slug.toLowerCase());
      if (perm !== undefined && !atLeast(best, perm)) best = perm;
      t = t.parent === undefined ? undefined : this.teams.get(key(t.org, t.parent));
    }
    return best;
  }

  childTeams(team: Team): Team[] {
    return [...this.teams.values()].filter(
      (t) => t.org.toLowerCase() === team.org.toLowerCase() && t.parent === team.slug,
    );
  }

  /** Membership as GitHub reports it: direct, or through a child team (an active child membership wins). */
  membership(team: Team, login: string): TeamMembership | undefined {
    const direct = team.members.get(login.toLowerCase());
    if (direct?.state === "active") return direct;
    let found: TeamMembership | undefined = direct;
    for (const child of this.childTeams(team)) {
      const m = this.membership(child, login);
      if (m?.state === "active") return { role: "member", state: "active" };
      if (m !== undefined) found ??= { role: "member", state: "pending" };
    }
    return found;
  }
}
