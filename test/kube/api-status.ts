import { ApiException } from "@kubernetes/client-node";

/** The HTTP code and the apiserver's Status message of a failed client-node call. */
export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
}

/** Runs `call`, expecting the apiserver to refuse it; returns its Status. */
export async function apiRefusal(call: () => Promise<unknown>): Promise<ApiStatus> {
  try {
    await call();
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const raw: unknown = err.body;
    const body = (typeof raw === "string" ? JSON.parse(raw) : raw) as Partial<ApiStatus>;
    return { code: err.code, reason: body.reason ?? "", message: body.message ?? "" };
  }
  throw new Error("expected the apiserver to refuse the call, but it succeeded");
}
