/** A fault to inject: an error status and/or added latency on matching requests, a number of times. */
export interface FaultSpec {
  /** HTTP method to match; any when absent. */
  readonly method?: string;
  /** The request path (without query): an exact string, a glob with `*`, or a RegExp. */
  readonly path: string | RegExp;
  /** Answer with this status (GitHub's 5xx body) instead of serving the request. */
  readonly status?: number;
  /** Wait this long (real milliseconds) before answering. */
  readonly delayMs?: number;
  /** How many matching requests to affect; every one when absent. */
  readonly times?: number;
}

/** A fault that was applied to a request, for tests to check (latency cannot be asserted by timing). */
export interface AppliedFault {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly delayMs?: number;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  readonly pattern: RegExp;
  remaining: number;
}

function toPattern(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const escaped = path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** Faults on demand, consumed in the order they were added. */
export class Faults {
  private readonly active: ActiveFault[] = [];
  /** Every fault applied so far, in order. */
  readonly log: AppliedFault[] = [];

  add(spec: FaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined) {
      throw new TypeError("a fault needs a status, a delayMs, or both");
    }
    this.active.push({
      spec,
      pattern: toPattern(spec.path),
      remaining: spec.times ?? Number.POSITIVE_INFINITY,
    });
  }

  /** Removes the faults still to apply (the log stays). */
  clear(): void {
    this.active.length = 0;
  }

  /** The fault that applies to this request (and uses one of its times), if any. */
  take(method: string, pathname: string): FaultSpec | undefined {
    const hit = this.active.find(
      (f) =>
        f.remaining > 0 &&
        (f.spec.method === undefined || f.spec.method.toUpperCase() === method.toUpperCase()) &&
        f.pattern.test(pathname),
    );
    if (hit === undefined) return undefined;
    hit.remaining -= 1;
    const { status, delayMs } = hit.spec;
    this.log.push({
      method: method.toUpperCase(),
      path: pathname,
      ...(status === undefined ? {} : { status }),
      ...(delayMs === undefined ? {} : { delayMs }),
    });
    return hit.spec;
  }
}
