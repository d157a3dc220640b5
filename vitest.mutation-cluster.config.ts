import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * For mutating src/core/cluster on a busy machine (stryker.cluster.config.json): only the cluster
 * checks' own tests (test/core/cluster) and the merge-time cluster checks of the approval
 * (test/core/approval/check-cluster.test.ts), which call them. A mutant counts as killed only if
 * one of these catches it, so the score is a lower bound of the full run's.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ["test/core/cluster/**/*.test.ts", "test/core/approval/check-cluster.test.ts"],
  },
});
