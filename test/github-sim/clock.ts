/** The simulator's clock: time stands still until a test (or the server's wall-clock mode) moves it. */
export class SimClock {
  private current: number;

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`clock can only move forward, got ${ms} ms`);
    this.current += ms;
  }

  iso(ms: number = this.current): string {
    // GitHub renders timestamps without milliseconds.
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }
}
