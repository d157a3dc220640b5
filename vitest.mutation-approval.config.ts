import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * For mutating src/core/approval on a busy machine (stryker.approval.config.json): only the
 * approval decision's own tests (test/core/approval). A mutant counts as killed only if one of
 * these catches it, so the score is a lower bound of the full run's.
 */
export default defineConfig({
  test: { ...base.test, include: ["test/core/approval/**/*.test.ts"] },
});
