import { ApiException } from "@kubernetes/client-node";

/** The HTTP status of a failed client-node call, or undefined for other errors. */
export function kubeStatus(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (typeof error === "object" && error !== null) {
    const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
    if (typeof code === "number") return code;
    if (typeof statusCode === "number") return statusCode;
  }
  return undefined;
}

export const isKubeNotFound = (error: unknown): boolean => kubeStatus(error) === 404;
export const isKubeConflict = (error: unknown): boolean => kubeStatus(error) === 409;
