import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { seedSchema, type Seed } from "./seed-schema.ts";

export class SeedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SeedError";
  }
}

/** Validates a seed object; the error names every bad field by its path. */
export function parseSeed(input: unknown, source = "seed"): Seed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const where = i.path.length === 0 ? "(top level)" : i.path.map(String).join(".");
      return `  ${where}: ${i.message}`;
    });
    throw new SeedError(`${source} is invalid:\n${lines.join("\n")}`);
  }
  return checkReferences(result.data, source);
}

/** Cross-field checks zod cannot express: every login, team and parent must exist. */
function checkReferences(seed: Seed, source: string): Seed {
  const problems: string[] = [];
  const users = new Set(seed.users.map((u) => u.login.toLowerCase()));
  const orgs = new Set(seed.orgs.map((o) => o.login.toLowerCase()));
  const owners = new Set([...users, ...orgs]);
  const clash = seed.users.find((u) => orgs.has(u.login.toLowerCase()));
  if (clash !== undefined) problems.push(`users: "${clash.login}" is also an org`);
  seed.orgs.forEach((org, oi) => {
    org.members.forEach((m, mi) => {
      if (!users.has(m.toLowerCase()))
        problems.push(`orgs.${oi}.members.${mi}: unknown user "${m}"`);
    });
    const slugs = new Set(org.teams.map((t) => t.slug));
    org.teams.forEach((team, ti) => {
      if (team.parent !== undefined && !slugs.has(team.parent)) {
        problems.push(`orgs.${oi}.teams.${ti}.parent: no team "${team.parent}" in ${org.login}`);
      }
      for (const key of ["members", "maintainers", "pending"] as const) {
        team[key].forEach((m, mi) => {
          if (!users.has(m.toLowerCase()))
            problems.push(`orgs.${oi}.teams.${ti}.${key}.${mi}: unknown user "${m}"`);
        });
      }
    });
  });
  seed.repos.forEach((repo, ri) => {
    if (!owners.has(repo.owner.toLowerCase()))
      problems.push(`repos.${ri}.owner: unknown user or org "${repo.owner}"`);
    for (const c of Object.keys(repo.collaborators)) {
      if (!users.has(c.toLowerCase()))
        problems.push(`repos.${ri}.collaborators.${c}: unknown user`);
    }
    const org = seed.orgs.find((o) => o.login.toLowerCase() === repo.owner.toLowerCase());
    const teamSlugs = new Set(org?.teams.map((t) => t.slug) ?? []);
    for (const t of Object.keys(repo.teams)) {
      if (!teamSlugs.has(t))
        problems.push(`repos.${ri}.teams.${t}: no team "${t}" in ${repo.owner}`);
    }
    for (const [branch, p] of Object.entries(repo.protection)) {
      const lists = {
        dismissal_restrictions: p.dismissal_restrictions,
        bypass_pull_request_allowances: p.bypass_pull_request_allowances,
        bypass_actors: p.bypass_actors,
      };
      for (const [name, list] of Object.entries(lists)) {
        if (list === undefined) continue;
        const where = `repos.${ri}.protection.${branch}.${name}`;
        list.users.forEach((u, i) => {
          if (!users.has(u.toLowerCase()))
            problems.push(`${where}.users.${i}: unknown user "${u}"`);
        });
        list.teams.forEach((t, i) => {
          if (!teamSlugs.has(t))
            problems.push(`${where}.teams.${i}: no team "${t}" in ${repo.owner}`);
        });
        list.apps.forEach((a, i) => {
          if (seed.app?.slug !== a) problems.push(`${where}.apps.${i}: no app "${a}" in the seed`);
        });
      }
    }
  });
  if (seed.app !== undefined) {
    if (!owners.has(seed.app.owner.toLowerCase()))
      problems.push(`app.owner: unknown user or org "${seed.app.owner}"`);
    seed.app.installations.forEach((inst, ii) => {
      if (!owners.has(inst.account.toLowerCase())) {
        problems.push(`app.installations.${ii}.account: unknown user or org "${inst.account}"`);
      }
    });
  }
  if (problems.length > 0) throw new SeedError(`${source} is invalid:\n  ${problems.join("\n  ")}`);
  return seed;
}

export function parseSeedYaml(text: string, source = "seed"): Seed {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new SeedError(`${source} is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseSeed(data, source);
}

export async function loadSeedFile(file: string): Promise<Seed> {
  return parseSeedYaml(await readFile(file, "utf8"), file);
}
