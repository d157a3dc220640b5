import { defineConfig } from "vitest/config";

/**
 * The Vitest configuration Stryker runs (stryker.config.json): the unit tests that exercise
 * src/core directly, without the Kubernetes server (test/kube) and without the GitHub simulator's
 * own tests (test/github-sim), which cover little of src/core and would slow every mutant down.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    include: ["test/core/**/*.test.ts", "test/cli/**/*.test.ts"],
  },
});
