import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * For mutating src/core/record on a busy machine (stryker.record.config.json): only the record's
 * own tests (test/core/record), the approval's (test/core/approval), which read record paths and
 * app branch names through its layout, and the batch PR's rendering
 * (test/controller/batch-render.test.ts, no Kubernetes server). A mutant counts as killed only if one of these catches
 * it, so the score is a lower bound of the full run's.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      "test/core/record/**/*.test.ts",
      "test/core/approval/**/*.test.ts",
      "test/controller/batch-render.test.ts",
    ],
  },
});
