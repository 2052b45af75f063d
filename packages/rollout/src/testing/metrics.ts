import type { Colour } from '../colours.js';
import type { AlarmState, AlarmStatus, LatencyPercentiles, MetricScope, Metrics, TimeWindow, TrafficStats } from '../ports.js';
import type { FakeClock } from './clock.js';
import type { FakeTrafficRouter } from './router.js';

export interface SideBehaviour {
  /** Share of requests answered 5xx. */
  readonly errorRate: number;
  readonly latencyMs: LatencyPercentiles;
  readonly unhealthyHosts?: number;
}

export const HEALTHY_SIDE: SideBehaviour = { errorRate: 0.001, latencyMs: { p50: 40, p95: 120, p99: 200 } };

/**
 * Load-balancer metrics computed from the fake router's weight history: steady client traffic is split
 * by the weights in force at each moment, and each colour answers as its behaviour says. Data newer than
 * `now - publicationDelayMs` is not published yet; a window without requests has no data points.
 */
export class FakeMetrics implements Metrics {
  requestsPerSecond = 100;
  publicationDelayMs = 0;
  readonly behaviour: Record<Colour, SideBehaviour> = { blue: HEALTHY_SIDE, green: HEALTHY_SIDE };
  readonly alarms: Record<string, AlarmState> = {};
  /** Answers user metric queries; by default there is no data. */
  userMetricValue: (query: string, scope: MetricScope, window: TimeWindow) => number | undefined = () => undefined;

  constructor(
    private readonly clock: FakeClock,
    private readonly router: FakeTrafficRouter,
  ) {}

  async trafficStats(colour: Colour, window: TimeWindow): Promise<TrafficStats> {
    const end = Math.min(window.end, this.clock.now() - this.publicationDelayMs);
    const requests = Math.floor((this.requestsPerSecond * this.weightedMs(colour, window.start, end)) / 1000);
    if (requests === 0) {
      return {
        requests: undefined,
        http5xx: undefined,
        http4xx: undefined,
        latencyMs: { p50: undefined, p95: undefined, p99: undefined },
        unhealthyHosts: undefined,
      };
    }
    const side = this.behaviour[colour];
    return {
      requests,
      http5xx: Math.round(requests * side.errorRate),
      http4xx: 0,
      latencyMs: side.latencyMs,
      unhealthyHosts: side.unhealthyHosts ?? 0,
    };
  }

  async alarmStates(names: readonly string[]): Promise<readonly AlarmStatus[]> {
    return names.map((name) => ({ name, state: this.alarms[name] }));
  }

  async userMetric(query: string, scope: MetricScope, window: TimeWindow): Promise<number | undefined> {
    return this.userMetricValue(query, scope, window);
  }

  /** Milliseconds of traffic the colour received in [start, end), weighted by its share. */
  private weightedMs(colour: Colour, start: number, end: number): number {
    const { history } = this.router;
    let total = 0;
    history.forEach((entry, index) => {
      const from = Math.max(entry.at, start);
      const to = Math.min(history[index + 1]?.at ?? Infinity, end);
      if (to > from) total += ((to - from) * entry.weights[colour]) / 100;
    });
    return total;
  }
}
