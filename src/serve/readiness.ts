/**
 * What `/readyz` reports: ready only when every named condition holds (each cluster's watch has
 * synced, GitHub authentication works). Conditions start false; the parts of `serve` that own
 * them set them. Pure state, no I/O.
 */
export class Readiness {
  readonly #conditions = new Map<string, { ok: boolean; detail: string }>();

  /** Declares a condition, not yet met. */
  require(name: string, detail = "not checked yet"): void {
    if (!this.#conditions.has(name)) this.#conditions.set(name, { ok: false, detail });
  }

  set(name: string, ok: boolean, detail: string): void {
    this.#conditions.set(name, { ok, detail });
  }

  get ready(): boolean {
    return this.#conditions.size > 0 && [...this.#conditions.values()].every((c) => c.ok);
  }

  /** Every condition, sorted by name, for the /readyz body. */
  report(): { name: string; ok: boolean; detail: string }[] {
    return [...this.#conditions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, c]) => ({ name, ...c }));
  }
}
