import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Fixed fast-check seed for every property test (test/support/fast-check-seed.ts).
    setupFiles: ["test/support/fast-check-seed.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [
            "test/kube/**",
            "test/app/**",
            "test/controller/**",
            "test/audit/kube/**",
            "test/e2e/**",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "kube",
          include: [
            "test/kube/**/*.test.ts",
            "test/app/**/*.test.ts",
            "test/controller/**/*.test.ts",
            "test/audit/kube/**/*.test.ts",
            // The whole flow with serve as a process (docs/demo.md).
            "test/e2e/**/*.test.ts",
          ],
          // One real Kubernetes API server per run (test/kube-server); see docs/kube-server.md.
          // A hang guard, not a speed assertion: these tests drive real servers, and on a loaded
          // 2-core machine an end-to-end scenario can take well over the unit tests' 30 s.
          testTimeout: 120_000,
          globalSetup: ["test/support/kube-global-setup.ts"],
        },
      },
    ],
  },
});
