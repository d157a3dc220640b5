/** The HTTP status of a client-node ApiException, or undefined for anything else. */
import { ApiException } from "@kubernetes/client-node";

export function kubeStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}
