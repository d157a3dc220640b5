import type { RequestedCsr } from "../github/read-pull-snapshot.ts";

/**
 * What the app counts, as an injected interface: `serve` wires it to its metrics endpoint; tests
 * read a recorder. Labels are stable codes only, never CSR-derived text.
 */
export interface AppMetrics {
  /** approved | denied | refused, with the refusal codes and the CSR as its record says. */
  decision(
    outcome: "approved" | "denied" | "refused",
    codes: readonly string[],
    csr?: RequestedCsr,
  ): void;
  /** A receipt commit the default branch refused (branch protection or a ruleset). */
  receiptRefused(kind: "decision" | "certificate"): void;
  /** The signer issued a certificate that does not match the approved request. */
  certificateMismatch(): void;
  /** The signer set the Failed condition. */
  signerFailed(): void;
  /** A push to an app PR by someone else. */
  tampered(): void;
}

/** Counts by name, for tests and for a metrics endpoint to read. */
export class CountingMetrics implements AppMetrics {
  readonly counts = new Map<string, number>();
  private bump(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  decision(outcome: string, codes: readonly string[]): void {
    this.bump(`decision:${outcome}`);
    for (const c of codes) this.bump(`refusal:${c}`);
  }
  receiptRefused(kind: string): void {
    this.bump(`receipt-refused:${kind}`);
  }
  certificateMismatch(): void {
    this.bump("certificate-mismatch");
  }
  signerFailed(): void {
    this.bump("signer-failed");
  }
  tampered(): void {
    this.bump("tampered");
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
