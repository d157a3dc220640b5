/**
 * Vitest setup file: every fast-check property runs from a fixed seed unless it names its own, so
 * a failure found once is found again on every run (the suite's seeded-fuzz rule, enforced).
 */
import fc from "fast-check";

fc.configureGlobal({ seed: 20251129 });
