import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * The decoder's own tests only (test/core/csr), for mutating src/core/csr on a busy machine
 * (stryker.csr.config.json): a mutant counts as killed only if a decoder test catches it, which
 * is stricter than the full run, where policy tests that decode requests may kill it too.
 */
export default defineConfig({
  test: { ...base.test, include: ["test/core/csr/**/*.test.ts"] },
});
