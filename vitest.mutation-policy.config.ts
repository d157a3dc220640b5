import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * The policy's own tests only (test/core/policy), for mutating src/core/policy on a busy machine
 * (stryker.policy.config.json): a mutant counts as killed only if a policy test catches it, which
 * is stricter than the full run, where decoder and CLI tests that judge requests may kill it too.
 */
export default defineConfig({
  test: { ...base.test, include: ["test/core/policy/**/*.test.ts"] },
});
