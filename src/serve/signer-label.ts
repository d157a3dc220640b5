/**
 * The `signer` label of the decision metrics. A signer name comes from the CSR, and anyone who may
 * create CSRs picks it, so it is a label value only when the policy names it (a reviewed, bounded
 * set); a signer the policy does not know is "other" (the log names it). As a last bound, at most
 * `max` distinct values are ever used, then "other": a hostile record cannot grow the series count.
 */
const SIGNER_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/[A-Za-z0-9._/-]{1,200}$/;

export class SignerLabels {
  readonly #seen = new Set<string>();
  readonly #max: number;

  constructor(max = 32) {
    this.#max = max;
  }

  label(signer: string | undefined, unknownSigner: boolean): string {
    if (signer === undefined || unknownSigner || !SIGNER_NAME.test(signer)) return "other";
    if (this.#seen.has(signer)) return signer;
    if (this.#seen.size >= this.#max) return "other";
    this.#seen.add(signer);
    return signer;
  }
}
