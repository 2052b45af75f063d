/**
 * Steady client traffic through the production listener, as users would send it, recording every
 * response: when, status, latency and which release answered. It is what a rollout must protect, so
 * the rehearsal and the tests judge a rollout by it (failed requests, time to restore).
 */
import { request as httpRequest, Agent } from 'node:http';

export interface Sample {
  /** Epoch ms when the request was sent. */
  readonly at: number;
  /** undefined when no response came back. */
  readonly status: number | undefined;
  readonly latencyMs: number;
  /** The `model_version` the answering side reported, to tell the two releases apart. */
  readonly release: string | undefined;
}

export interface TrafficOptions {
  readonly url: string;
  readonly path?: string;
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

  constructor(private readonly options: TrafficOptions) {}

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
    const at = Date.now();
    const started = performance.now();
    this.inFlight++;
    const done = new Promise<void>((resolve) => {
      const finish = (status: number | undefined, body: string) => {
        this.inFlight--;
        this.samples.push({ at, status, latencyMs: performance.now() - started, release: releaseOf(body) });
        resolve();
      };
      const req = httpRequest(
        new URL(this.options.path ?? '/version', this.options.url),
        { agent: this.agent, timeout: this.options.timeoutMs ?? 5_000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => finish(res.statusCode, body));
          res.on('error', () => finish(undefined, ''));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(undefined, ''));
      req.end();
    });
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }
}

function releaseOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { model_version?: unknown; models?: unknown };
    return typeof parsed.model_version === 'string' ? parsed.model_version : undefined;
  } catch {
    return undefined;
  }
}

export interface TrafficSummary {
  readonly requests: number;
  readonly failed: number;
  readonly failedShare: number;
  readonly firstFailureAt: number | undefined;
  readonly lastFailureAt: number | undefined;
  readonly byRelease: Readonly<Record<string, number>>;
}

/** A failure is what a user would see as one: no response, or a 5xx. */
export function summarise(samples: readonly Sample[], from = 0, to = Number.POSITIVE_INFINITY): TrafficSummary {
  const window = samples.filter((s) => s.at >= from && s.at <= to);
  const failures = window.filter((s) => s.status === undefined || s.status >= 500).map((s) => s.at);
  const byRelease: Record<string, number> = {};
  for (const sample of window) if (sample.release) byRelease[sample.release] = (byRelease[sample.release] ?? 0) + 1;
  return {
    requests: window.length,
    failed: failures.length,
    failedShare: window.length === 0 ? 0 : failures.length / window.length,
    firstFailureAt: failures.length ? Math.min(...failures) : undefined,
    lastFailureAt: failures.length ? Math.max(...failures) : undefined,
    byRelease,
  };
}
