import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/kube/**", "test/app/**", "test/controller/**", "test/audit/kube/**"],
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
          ],
          // One real Kubernetes API server per run (test/kube-server); see docs/kube-server.md.
          globalSetup: ["test/support/kube-global-setup.ts"],
        },
      },
    ],
  },
});
