/**
 * Runs a controller only while this replica holds the leader Lease: a fresh controller starts
 * when leadership is won (informers list again, so nothing that happened meanwhile is missed) and
 * stops when it is lost. Standby replicas hold no watches and make no writes.
 */
import { LeaseElector, type LeaseElectorOptions } from "../kube/lease-elector.ts";
import type { ControllerEvents } from "./controller-events.ts";

export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function runAsLeader(
  elector: Omit<LeaseElectorOptions, "onStartedLeading" | "onStoppedLeading" | "onError">,
  makeController: () => Startable,
  events: ControllerEvents,
): LeaseElector {
  let current: Startable | undefined;
  return new LeaseElector({
    ...elector,
    onStartedLeading: (signal) => {
      const controller = makeController();
      current = controller;
      events.log("info", "leading: starting the controller", { identity: elector.identity });
      signal.addEventListener("abort", () => {
        if (current === controller) current = undefined;
        void controller.stop();
      });
      controller.start().catch((error: unknown) => {
        events.log("error", "the controller failed to start", {
          error: error instanceof Error ? error.message : String(error),
        });
      });
    },
    onStoppedLeading: (reason) => {
      // A shutdown stops leading too; only a Lease that could not be renewed is a warning.
      if (reason === "lost")
        events.log("warn", "lost the leader Lease: controller stopped", {
          identity: elector.identity,
        });
      else
        events.log("info", "stopped leading: controller stopped", { identity: elector.identity });
    },
    onError: (error) => {
      events.log("warn", "leader election: Lease read or write failed", {
        identity: elector.identity,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
}
