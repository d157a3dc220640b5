import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * For mutating src/core/yaml on a busy machine (stryker.yaml.config.json): only the loader's own
 * tests (test/core/yaml) and the tests of what is a thin schema over it or calls it directly: the
 * repo config's loader (test/core/config), the policy's loader (load-policy.test.ts) and the
 * record's tests, which format its errors. A mutant counts as killed only if one of these catches
 * it, so the score is a lower bound of the full run's.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      "test/core/yaml/**/*.test.ts",
      "test/core/config/**/*.test.ts",
      "test/core/policy/load-policy.test.ts",
      "test/core/record/record.test.ts",
    ],
  },
});
