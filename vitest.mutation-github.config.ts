import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * For mutating src/core/github on a busy machine (stryker.github.config.json): only the CODEOWNERS
 * tests (test/core/github), the one test folder that imports src/core/github (the approval's tests
 * reach it through the approval's own code). A mutant counts as killed only if one of these
 * catches it, so the score is a lower bound of the full run's.
 */
export default defineConfig({
  test: { ...base.test, include: ["test/core/github/**/*.test.ts"] },
});
