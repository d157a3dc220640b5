/**
 * A launcher failure the user can act on: `message` says what went wrong, `fix` says what to do.
 * The CLI prints both; the Vitest global setup throws it as is.
 */
export class KubeServerError extends Error {
  readonly fix: string;

  constructor(message: string, fix: string, options?: ErrorOptions) {
    super(`${message}\n  fix: ${fix}`, options);
    this.name = "KubeServerError";
    this.fix = fix;
  }
}
