/** Which audit-repo paths CODEOWNERS must own, and which of them nobody owns. Pure. */
import { ownersOf, type CodeownersRule } from "../core/github/codeowners.ts";
import { CONFIG_PATH, POLICY_PATH } from "../core/record/layout.ts";

export interface OwnedPath {
  readonly path: string;
  readonly what: string;
}

/** A record path per cluster, the config, the policy and CODEOWNERS itself. */
export function pathsToOwn(clusters: readonly string[], codeownersPath: string): OwnedPath[] {
  return [
    ...clusters.map((c) => ({
      path: `clusters/${c}/example_00000000-0000-0000-0000-000000000000/record.yaml`,
      what: `records of cluster ${c} (/clusters/${c}/)`,
    })),
    { path: CONFIG_PATH, what: `the config (/${CONFIG_PATH})` },
    { path: POLICY_PATH, what: `the policy (/${POLICY_PATH})` },
    { path: codeownersPath, what: `CODEOWNERS itself (/${codeownersPath})` },
  ];
}

export function unownedPaths(
  rules: readonly CodeownersRule[],
  paths: readonly OwnedPath[],
): OwnedPath[] {
  return paths.filter((p) => ownersOf(rules, p.path) === undefined);
}
