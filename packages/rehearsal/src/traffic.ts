/**
 * Steady client traffic through the production listener, as users would send it, recording every
 * response: when, status, latency and which release answered. It is what a rollout must protect, so
 * the rehearsal and the tests judge a rollout by it (failed requests, time to restore).
 */
import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';

/** One kind of request a client sends: a GET, or a POST with a body made per request. */
export interface RequestKind {
  /** What the summary calls it: `convert potrace_color`, `health`… */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The body and its content type; a POST's body is made fresh for every request. */
  readonly body?: (index: number) => { readonly contentType: string; readonly data: Buffer };
  /** Requests of this kind in each round of the mix (a whole number, at least 1). */
  readonly weight: number;
}

export interface Sample {
  /** Epoch ms when the request was sent. */
  readonly at: number;
  /** undefined when no response came back. */
  readonly status: number | undefined;
  readonly latencyMs: number;
  /** The model version the answering side reported (its `x-svgai-model-version`, else `model_version` in the body). */
  readonly release: string | undefined;
  /** The image that answered (`x-svgai-image`), when it said. */
  readonly image?: string | undefined;
  /** The request kind's name; the path when the traffic is one GET. */
  readonly kind?: string;
}

export interface TrafficOptions {
  readonly url: string;
  readonly path?: string;
  /**
   * A mix of request kinds sent in a fixed weighted rotation (so the counts of each are known), instead of
   * GETs of `path`.
   */
  readonly requests?: readonly RequestKind[];
  readonly ratePerSecond: number;
  /** Requests in flight at most; more would only queue in this process. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
}

export class Traffic {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly pending = new Set<Promise<void>>();

  private readonly rotation: readonly RequestKind[];
  private sent = 0;

  constructor(private readonly options: TrafficOptions) {
    const kinds = options.requests ?? [{ name: options.path ?? '/version', method: 'GET', path: options.path ?? '/version', weight: 1 }];
    for (const kind of kinds)
      if (!Number.isInteger(kind.weight) || kind.weight < 1)
        throw new Error(`request kind ${kind.name}: weight ${kind.weight} is not a whole number ≥ 1`);
    this.rotation = interleave(kinds);
  }

  start(): this {
    const interval = 1000 / this.options.ratePerSecond;
    let next = Date.now();
    const tick = () => {
      const now = Date.now();
      // Catch up after a slow tick instead of drifting below the rate.
      while (next <= now) {
        if (this.inFlight < (this.options.concurrency ?? 32)) this.send();
        next += interval;
      }
      this.timer = setTimeout(tick, Math.max(1, next - Date.now()));
    };
    tick();
    return this;
  }

  async stop(): Promise<Sample[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.pending]);
    this.agent.destroy();
    return this.samples;
  }

  private send(): void {
    const index = this.sent++;
    const kind = this.rotation[index % this.rotation.length]!;
    const at = Date.now();
    const started = performance.now();
    this.inFlight++;
    const done = new Promise<void>((resolve) => {
      const finish = (status: number | undefined, headers: IncomingHttpHeaders, body: string) => {
        this.inFlight--;
        const image = headerOf(headers, 'x-svgai-image');
        this.samples.push({
          at,
          status,
          latencyMs: performance.now() - started,
          release: headerOf(headers, 'x-svgai-model-version') ?? releaseOf(body),
          ...(image !== undefined ? { image } : {}),
          kind: kind.name,
        });
        resolve();
      };
      const payload = kind.body?.(index);
      const req = httpRequest(
        new URL(kind.path, this.options.url),
        {
          agent: this.agent,
          method: kind.method,
          timeout: this.options.timeoutMs ?? 5_000,
          ...(payload ? { headers: { 'content-type': payload.contentType, 'content-length': payload.data.length } } : {}),
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => finish(res.statusCode, res.headers, body));
          res.on('error', () => finish(undefined, {}, ''));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(undefined, {}, ''));
      req.end(payload?.data);
    });
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }
}

/** Each kind `weight` times per round, spread out (smooth weighted round robin) rather than in runs. */
function interleave(kinds: readonly RequestKind[]): RequestKind[] {
  const total = kinds.reduce((sum, kind) => sum + kind.weight, 0);
  const current = kinds.map(() => 0);
  const order: RequestKind[] = [];
  for (let slot = 0; slot < total; slot++) {
    let best = 0;
    kinds.forEach((kind, i) => {
      current[i]! += kind.weight;
      if (current[i]! > current[best]!) best = i;
    });
    current[best]! -= total;
    order.push(kinds[best]!);
  }
  return order;
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function releaseOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { model_version?: unknown; models?: unknown };
    return typeof parsed.model_version === 'string' ? parsed.model_version : undefined;
  } catch {
    return undefined;
  }
}

/** Requests and failures of one group (a request kind, a model version, an image). */
export interface Seen {
  readonly requests: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface TrafficSummary {
  readonly requests: number;
  readonly failed: number;
  readonly failedShare: number;
  readonly firstFailureAt: number | undefined;
  readonly lastFailureAt: number | undefined;
  /** Answers per model version (requests the answering side named). */
  readonly byRelease: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, Seen>>;
  readonly byModelVersion: Readonly<Record<string, Seen>>;
  /** Keyed by the image that answered; `unknown` for requests no side answered (no response). */
  readonly byImage: Readonly<Record<string, Seen>>;
}

function failedSample(s: Sample): boolean {
  return s.status === undefined || s.status >= 500;
}

function groupBy(samples: readonly Sample[], key: (s: Sample) => string): Record<string, Seen> {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const k = key(sample);
    const group = groups.get(k);
    if (group) group.push(sample);
    else groups.set(k, [sample]);
  }
  const seen: Record<string, Seen> = {};
  for (const [k, group] of groups) {
    const latencies = group.map((s) => s.latencyMs).sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!);
    seen[k] = { requests: group.length, failed: group.filter(failedSample).length, p50Ms: at(0.5), p99Ms: at(0.99) };
  }
  return seen;
}

/** A failure is what a user would see as one: no response, or a 5xx. */
export function summarise(samples: readonly Sample[], from = 0, to = Number.POSITIVE_INFINITY): TrafficSummary {
  const window = samples.filter((s) => s.at >= from && s.at <= to);
  const failures = window.filter(failedSample).map((s) => s.at);
  const byRelease: Record<string, number> = {};
  for (const sample of window) if (sample.release) byRelease[sample.release] = (byRelease[sample.release] ?? 0) + 1;
  return {
    requests: window.length,
    failed: failures.length,
    failedShare: window.length === 0 ? 0 : failures.length / window.length,
    firstFailureAt: failures.length ? Math.min(...failures) : undefined,
    lastFailureAt: failures.length ? Math.max(...failures) : undefined,
    byRelease,
    byKind: groupBy(window, (s) => s.kind ?? 'request'),
    byModelVersion: groupBy(window, (s) => s.release ?? 'unknown'),
    byImage: groupBy(window, (s) => s.image ?? 'unknown'),
  };
}
