import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // One real Kubernetes API server per run (test/kube-server); see docs/kube-server.md.
    globalSetup: ["test/support/kube-global-setup.ts"],
  },
});
