import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVED_OPERATIONS } from "../openapi/served-operations.ts";
import { ROUTES } from "../routes/all-routes.ts";
import { closeAndCheck, newSim, SimulatorViolations } from "./sim-fixture.ts";

describe("the served operations", () => {
  it("each has a route handler, and no handler serves an unlisted operation", () => {
    expect([...ROUTES.keys()].sort()).toEqual([...SERVED_OPERATIONS].sort());
  });
});

describe("the simulator test fixture", () => {
  it("fails a test whose simulator recorded a violation, even though requests succeeded", async () => {
    const sim = await newSim();
    sim.violations.push("webhook pull_request.opened: made up for this test");
    await expect(closeAndCheck(sim)).rejects.toThrow(SimulatorViolations);
    sim.violations.length = 0; // so this test's own end-of-test check passes
  });

  it("is the only way the simulator tests create a simulator", () => {
    const dir = new URL("./", import.meta.url);
    const bypassing = readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts"))
      .filter((f) =>
        /GitHubSimulator\.create\(|new GitHubSimulator\(/.test(
          readFileSync(new URL(f, dir), "utf8"),
        ),
      );
    expect(bypassing).toEqual([]);
  });
});
