import { defineConfig } from "vitest/config";
import base from "./vitest.mutation.config.ts";

/**
 * For mutating src/core/display on a busy machine (stryker.display.config.json): only the
 * display's own tests (test/core/display) and the deceptive-character checks of the policy
 * (test/core/policy/deceptive-characters.test.ts), which name characters with it. A mutant counts
 * as killed only if one of these catches it, so the score is a lower bound of the full run's.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ["test/core/display/**/*.test.ts", "test/core/policy/deceptive-characters.test.ts"],
  },
});
