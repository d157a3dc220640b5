import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SimClock } from "../clock.ts";
import { APP_ID, createSim, userOctokit } from "./sim-fixture.ts";

/** An app JWT exactly as @octokit/auth-app signs it at wall time `nowS`: iat 30 s back, 10 min life. */
function authAppJwt(privateKey: string, nowS: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const iat = nowS - 30;
  const body = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat, exp: iat + 600, iss: APP_ID })}`;
  return `${body}.${sign("sha256", Buffer.from(body), privateKey).toString("base64url")}`;
}

describe("the simulator's clock", () => {
  it("runs with the wall clock, and advance moves it further", () => {
    let wall = 1_000_000;
    const clock = new SimClock(5_000, () => wall);
    expect(clock.now()).toBe(5_000);
    wall += 1_234;
    expect(clock.now()).toBe(6_234);
    clock.advance(60_000);
    expect(clock.now()).toBe(66_234);
    wall += 1;
    expect(clock.now()).toBe(66_235);
    expect(() => {
      clock.advance(-1);
    }).toThrow(RangeError);
    expect(clock.iso(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe("2026-01-02T03:04:05Z");
  });

  it.each([45, 300, 3600])(
    "accepts an app JWT signed %i s after the simulator was created (real time passed)",
    async (seconds) => {
      let wall = Date.now();
      const sim = await createSim({ wallClock: () => wall });
      wall += seconds * 1000;
      const key = sim.appPrivateKey() ?? "";
      const jwt = authAppJwt(key, Math.floor(wall / 1000));
      const app = await userOctokit(sim, jwt).rest.apps.getAuthenticated();
      expect(app.data?.id).toBe(APP_ID);
    },
  );

  it("still refuses that JWT once it has expired on the simulator's clock", async () => {
    let wall = Date.now();
    const sim = await createSim({ wallClock: () => wall });
    const jwt = authAppJwt(sim.appPrivateKey() ?? "", Math.floor(wall / 1000));
    wall += 10 * 60 * 1000;
    await expect(userOctokit(sim, jwt).rest.apps.getAuthenticated()).rejects.toMatchObject({
      status: 401,
    });
  });
});
