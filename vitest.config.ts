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
          exclude: ["test/kube/**", "test/controller/**", "test/app/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "kube",
          include: [
            "test/kube/**/*.test.ts",
            "test/controller/**/*.test.ts",
            "test/app/**/*.test.ts",
          ],
          // One real Kubernetes API server per run (test/kube-server); see docs/kube-server.md.
          globalSetup: ["test/support/kube-global-setup.ts"],
        },
      },
    ],
  },
});
