/**
 * Everything a harness run started, stopped in reverse order exactly once: on success, on failure,
 * and on SIGINT or SIGTERM (Ctrl-C in the demo's terminal). The Kubernetes test server also gets
 * `--exit-with-pid`, so even a harness killed with SIGKILL leaves no kube-server behind.
 */
export class Cleanup {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<string[]> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    void this.run().then(() => {
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  };

  /** Installs SIGINT and SIGTERM handlers that stop everything, then exit 130 or 143. */
  handleSignals(): void {
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  /** Runs every step, newest first; a failing step does not stop the others. Returns the failures. */
  run(): Promise<string[]> {
    this.running ??= (async () => {
      process.off("SIGINT", this.onSignal);
      process.off("SIGTERM", this.onSignal);
      const failures: string[] = [];
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return failures;
    })();
    return this.running;
  }
}
