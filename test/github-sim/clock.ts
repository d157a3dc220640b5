/**
 * The simulator's clock. It runs with the wall clock from where it started, and a test moves it
 * forward with `advance` (token expiry, rate-limit windows) without waiting.
 *
 * Following the wall clock is what keeps real clients working: @octokit/auth-app signs each app
 * JWT with the machine's clock (iat 30 s back, exp 9.5 min ahead), and GitHub checks it against
 * its own. A clock that stood still from the simulator's creation rejected every JWT signed more
 * than 30 s later ("exp too far in the future"), so a test that first authenticated late failed.
 */
export class SimClock {
  private readonly wallClock: () => number;
  /** Simulated time minus wall time: the start's offset plus every `advance`. */
  private offset: number;

  /**
   * @param startMs the simulated time now (epoch ms); a seed's `clock_start`, or the wall clock.
   * @param wallClock the real clock (epoch ms), injectable so tests can let real time pass.
   */
  constructor(startMs: number, wallClock: () => number = Date.now) {
    this.wallClock = wallClock;
    this.offset = startMs - wallClock();
  }

  now(): number {
    return this.wallClock() + this.offset;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`clock can only move forward, got ${ms} ms`);
    this.offset += ms;
  }

  iso(ms: number = this.now()): string {
    // GitHub renders timestamps without milliseconds.
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }
}
