import { defineConfig } from "vitest/config";

/**
 * The Vitest configuration Stryker runs (stryker.config.json): the unit tests that exercise
 * src/core directly, without the Kubernetes server (test/kube) and without the GitHub simulator's
 * own tests (test/github-sim), which cover little of src/core and would slow every mutant down.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Fixed fast-check seed for every property test (test/support/fast-check-seed.ts).
    setupFiles: ["test/support/fast-check-seed.ts"],
    include: ["test/core/**/*.test.ts", "test/cli/**/*.test.ts"],
    // Every mutant of src/core/csr runs the fuzz file: a twentieth of its runs keeps each mutant
    // to seconds (the full count runs in npm test).
    env: { FUZZ_SCALE: "0.05" },
  },
});
