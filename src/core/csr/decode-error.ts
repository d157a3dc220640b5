import type { DecodeError, DecodeErrorCode } from "./types.ts";

/** Failure arm shared by the decoding steps. */
export interface Failure {
  readonly ok: false;
  readonly error: DecodeError;
}

export function failure(code: DecodeErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

/** Message of a thrown value, for wrapping library errors into a DecodeError. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  return String(thrown);
}
