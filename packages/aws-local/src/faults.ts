/**
 * Fault injection, set from options at start or through the admin endpoint. API faults act before a
 * handler runs; task faults act where the task meets the world (its launch, and the proxy in front of
 * it), so they work with any process.
 */
import { AwsError } from './errors.js';
import { imageMatches } from './dataplane/images.js';

export type ServiceName = 'elasticloadbalancing' | 'ecs' | 'monitoring' | 's3' | 'ecr' | 'sts';
export const SERVICE_NAMES: readonly ServiceName[] = ['elasticloadbalancing', 'ecs', 'monitoring', 's3', 'ecr', 'sts'];

export interface ThrottleFault {
  /** The next `count` matching calls are throttled. */
  readonly count: number;
  readonly service?: ServiceName;
  readonly operation?: string;
}

export interface LatencyFault {
  readonly ms: number;
  readonly service?: ServiceName;
  readonly operation?: string;
}

export interface TaskFault {
  /** Image pattern, as in the image → command mapping (`svg-ai:canary`, `svg-ai:*`). */
  readonly image: string;
  readonly failToStart?: boolean;
  /** The task is killed (SIGKILL) after answering this many proxied requests. */
  readonly crashAfterRequests?: number;
  /** Share of proxied requests (0–1) answered with `errorStatus` instead of reaching the task, drawn at random. */
  readonly errorRate?: number;
  /**
   * Exactly every n-th proxied request to a matching image (the n-th, the 2n-th, …, counted from the
   * fault's injection across its tasks) is answered with `errorStatus`: a known error rate of 1/n, for
   * tests that must know what the metrics will show.
   */
  readonly errorEvery?: number;
  readonly errorStatus?: number;
  /** Added before each proxied request reaches the task. */
  readonly delayMs?: number;
}

export interface FaultConfig {
  readonly throttle?: readonly ThrottleFault[];
  readonly latency?: readonly LatencyFault[];
  readonly tasks?: readonly TaskFault[];
}

interface ActiveThrottle extends ThrottleFault {
  remaining: number;
}

interface ActiveTaskFault extends TaskFault {
  /** Requests answered per task since this fault was injected. */
  readonly served: Map<string, number>;
  /** Requests that reached this fault since it was injected, for `errorEvery`. */
  seen: number;
}

export class Faults {
  private throttles: ActiveThrottle[] = [];
  private latencies: LatencyFault[] = [];
  private taskFaults: ActiveTaskFault[] = [];

  /** Adds to what is already injected; `clear` removes everything. */
  add(config: FaultConfig): void {
    const checked = checkFaultConfig(config);
    this.throttles.push(...(checked.throttle ?? []).map((t) => ({ ...t, remaining: t.count })));
    this.latencies.push(...(checked.latency ?? []));
    this.taskFaults.push(...(checked.tasks ?? []).map((t) => ({ ...t, served: new Map<string, number>(), seen: 0 })));
  }

  clear(): void {
    this.throttles = [];
    this.latencies = [];
    this.taskFaults = [];
  }

  describe(): FaultConfig {
    return {
      throttle: this.throttles.map(({ remaining, service, operation }) => ({ count: remaining, service, operation })),
      latency: this.latencies,
      tasks: this.taskFaults.map(({ served: _served, seen: _seen, ...fault }) => fault),
    };
  }

  /** Consumes one throttled call if a burst matches. */
  takeThrottle(service: ServiceName, operation: string | undefined): boolean {
    const burst = this.throttles.find((t) => t.remaining > 0 && matches(t, service, operation));
    if (!burst) return false;
    burst.remaining -= 1;
    this.throttles = this.throttles.filter((t) => t.remaining > 0);
    return true;
  }

  latencyMs(service: ServiceName, operation: string | undefined): number {
    return this.latencies.filter((l) => matches(l, service, operation)).reduce((sum, l) => sum + l.ms, 0);
  }

  failsToStart(image: string): boolean {
    return this.taskFaults.some((f) => f.failToStart && imageMatches(f.image, image));
  }

  /** What the proxy should do to one request bound for a task of this image. */
  forRequest(image: string): { delayMs: number; errorStatus?: number } {
    const faults = this.taskFaults.filter((f) => imageMatches(f.image, image));
    const delayMs = faults.reduce((sum, f) => sum + (f.delayMs ?? 0), 0);
    // Every counting fault counts this request, whether or not another fault already fails it.
    const counted = faults.filter((f) => f.errorEvery !== undefined && ++f.seen % f.errorEvery === 0);
    const failing = counted[0] ?? faults.find((f) => f.errorRate !== undefined && Math.random() < f.errorRate);
    return failing ? { delayMs, errorStatus: failing.errorStatus ?? 500 } : { delayMs };
  }

  /** Counts an answered request; true when the task should now crash. */
  countServed(image: string, taskArn: string): boolean {
    let crash = false;
    for (const fault of this.taskFaults.filter((f) => f.crashAfterRequests !== undefined && imageMatches(f.image, image))) {
      const served = (fault.served.get(taskArn) ?? 0) + 1;
      fault.served.set(taskArn, served);
      if (served >= (fault.crashAfterRequests ?? Number.POSITIVE_INFINITY)) crash = true;
    }
    return crash;
  }
}

function matches(fault: { service?: ServiceName; operation?: string }, service: ServiceName, operation: string | undefined): boolean {
  return (fault.service === undefined || fault.service === service) && (fault.operation === undefined || fault.operation === operation);
}

const TASK_FAULT_FIELDS = ['image', 'failToStart', 'crashAfterRequests', 'errorRate', 'errorEvery', 'errorStatus', 'delayMs'];

/** Faults come from JSON over the admin endpoint: check them strictly and name what is wrong. */
export function checkFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new AwsError('ValidationError', 'A fault configuration is a JSON object with throttle, latency and tasks lists');
  const config = input as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!['throttle', 'latency', 'tasks'].includes(key))
      throw new AwsError('ValidationError', `Unknown fault kind '${key}' (expected throttle, latency or tasks)`);
  }
  const list = (key: string): Record<string, unknown>[] => {
    const value = config[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null))
      throw new AwsError('ValidationError', `'${key}' must be a list of objects`);
    return value as Record<string, unknown>[];
  };
  const service = (value: unknown): ServiceName | undefined => {
    if (value === undefined) return undefined;
    if (!SERVICE_NAMES.includes(value as ServiceName))
      throw new AwsError('ValidationError', `Unknown service '${String(value)}' (expected one of ${SERVICE_NAMES.join(', ')})`);
    return value as ServiceName;
  };
  const operation = (value: unknown): string | undefined => {
    if (value !== undefined && typeof value !== 'string') throw new AwsError('ValidationError', `'operation' must be a string`);
    return value;
  };
  const number = (value: unknown, name: string, min: number, max = Number.POSITIVE_INFINITY): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max))
      throw new AwsError(
        'ValidationError',
        `'${name}' must be a number ${max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`}, got ${JSON.stringify(value)}`,
      );
    return value;
  };
  return {
    throttle: list('throttle').map((t) => ({
      count: number(t['count'], 'throttle.count', 1) ?? 1,
      service: service(t['service']),
      operation: operation(t['operation']),
    })),
    latency: list('latency').map((l) => ({
      ms: number(l['ms'], 'latency.ms', 0) ?? 0,
      service: service(l['service']),
      operation: operation(l['operation']),
    })),
    tasks: list('tasks').map((t) => {
      if (typeof t['image'] !== 'string' || t['image'] === '')
        throw new AwsError('ValidationError', `Every task fault needs an 'image' pattern`);
      for (const key of Object.keys(t)) {
        if (!TASK_FAULT_FIELDS.includes(key))
          throw new AwsError('ValidationError', `Unknown task fault field '${key}' (expected ${TASK_FAULT_FIELDS.join(', ')})`);
      }
      if (t['errorEvery'] !== undefined && !Number.isInteger(t['errorEvery']))
        throw new AwsError('ValidationError', `'errorEvery' must be a whole number of requests, got ${JSON.stringify(t['errorEvery'])}`);
      if (t['failToStart'] !== undefined && typeof t['failToStart'] !== 'boolean')
        throw new AwsError('ValidationError', `'failToStart' must be true or false`);
      return {
        image: t['image'],
        failToStart: t['failToStart'] as boolean | undefined,
        crashAfterRequests: number(t['crashAfterRequests'], 'crashAfterRequests', 1),
        errorRate: number(t['errorRate'], 'errorRate', 0, 1),
        errorEvery: number(t['errorEvery'], 'errorEvery', 1),
        errorStatus: number(t['errorStatus'], 'errorStatus', 500, 599),
        delayMs: number(t['delayMs'], 'delayMs', 0),
      };
    }),
  };
}
