import { appRoutes } from "./app-routes.ts";
import { branchRoutes } from "./branch-routes.ts";
import { checkRoutes } from "./check-routes.ts";
import { commitRoutes } from "./commit-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { gitDataRoutes } from "./git-data-routes.ts";
import { gitRoutes } from "./git-routes.ts";
import { issueRoutes } from "./issue-routes.ts";
import { miscRoutes } from "./misc-routes.ts";
import { orgRoutes } from "./org-routes.ts";
import { pullRoutes } from "./pull-routes.ts";
import { repoRoutes } from "./repo-routes.ts";
import { reviewRoutes } from "./review-routes.ts";
import { teamRepoRoutes } from "./team-repo-routes.ts";
import type { Route } from "./route.ts";

/** Every route the simulator serves, keyed by GitHub's operationId. */
export const ROUTES: ReadonlyMap<string, Route> = new Map(
  [
    ...appRoutes,
    ...repoRoutes,
    ...branchRoutes,
    ...gitRoutes,
    ...gitDataRoutes,
    ...commitRoutes,
    ...contentRoutes,
    ...pullRoutes,
    ...reviewRoutes,
    ...issueRoutes,
    ...checkRoutes,
    ...orgRoutes,
    ...teamRepoRoutes,
    ...miscRoutes,
  ].map((r) => [r.operationId, r]),
);
