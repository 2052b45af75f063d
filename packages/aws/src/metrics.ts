/**
 * ALB metrics, alarms and user metric queries from CloudWatch as the engine's Metrics port.
 * Each window is read with one period that spans it (rounded up to the metric resolution), so a
 * percentile is the percentile of the whole window rather than a mix of per-minute ones. No data
 * points is `undefined`, never zero; the engine's windowing keeps late data from being read early.
 */
import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { AlarmStatus, Colour, MetricScope, Metrics, TimeWindow, TrafficStats } from '@svg-ai-release/rollout';
import type { AwsClients } from './clients.js';
import { awsCall } from './errors.js';
import type { BlueGreenTopology } from './topology.js';

export interface UserMetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Added for the canary side (e.g. `{ ModelVersion: '1.4.0' }`). */
  readonly canaryDimensions?: Readonly<Record<string, string>>;
  /** Added for the baseline side. */
  readonly baselineDimensions?: Readonly<Record<string, string>>;
}

export interface CloudWatchMetricsOptions {
  /** The resolution metrics are published at: 60 s for ALB metrics in AWS; the local stand-in may use 1 s. */
  readonly periodSeconds?: number;
  /** User metric queries by the name the engine asks for. */
  readonly userQueries?: Readonly<Record<string, UserMetricQuery>>;
}

const ALB_NAMESPACE = 'AWS/ApplicationELB';

/** The periods GetMetricData accepts: 1, 5, 10, 20, 30 seconds, or a multiple of 60. */
function validPeriod(seconds: number): boolean {
  return [1, 5, 10, 20, 30].includes(seconds) || (seconds > 0 && seconds % 60 === 0);
}

/**
 * The period for a window: the largest valid one, at or above the publication resolution, that
 * divides the window exactly, so no data point reaches outside the window (late data must not be
 * read early). A window of whole minutes in AWS is then one data point; shorter windows on the
 * stand-in become a few.
 */
export function windowPeriod(window: TimeWindow, resolutionSeconds: number): number {
  const seconds = Math.max(1, Math.round((window.end - window.start) / 1000));
  for (let period = seconds; period >= resolutionSeconds; period--) {
    if (seconds % period === 0 && validPeriod(period)) return period;
  }
  return resolutionSeconds;
}

/**
 * Values of one query combined over its data points: counts add up, minima and maxima stay
 * minima and maxima, and averages and percentiles are weighted by the requests behind each data
 * point when those are known (exact when the window is one period, a close estimate otherwise).
 */
export function combine(result: MetricDataResult | undefined, stat: string, weights?: ReadonlyMap<number, number>): number | undefined {
  const values = result?.Values ?? [];
  if (values.length === 0) return undefined;
  if (stat === 'Sum' || stat === 'SampleCount') return values.reduce((sum, value) => sum + value, 0);
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Maximum') return Math.max(...values);
  const timestamps = result?.Timestamps ?? [];
  let total = 0;
  let weightSum = 0;
  values.forEach((value, i) => {
    const weight = weights?.get(timestamps[i]?.getTime() ?? Number.NaN) ?? (weights ? 0 : 1);
    total += value * weight;
    weightSum += weight;
  });
  return weightSum === 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : total / weightSum;
}

/** Requests per data point timestamp, the weights of percentiles combined over several periods. */
function requestWeights(result: MetricDataResult | undefined): Map<number, number> {
  const weights = new Map<number, number>();
  (result?.Values ?? []).forEach((value, i) => {
    const at = result?.Timestamps?.[i]?.getTime();
    if (at !== undefined) weights.set(at, value);
  });
  return weights;
}

export class CloudWatchMetrics implements Metrics {
  private readonly periodSeconds: number;

  constructor(
    private readonly clients: AwsClients,
    private readonly topology: BlueGreenTopology,
    private readonly options: CloudWatchMetricsOptions = {},
  ) {
    this.periodSeconds = options.periodSeconds ?? 60;
  }

  async trafficStats(colour: Colour, window: TimeWindow): Promise<TrafficStats> {
    const dimensions = [
      { Name: 'TargetGroup', Value: this.topology.sides[colour].targetGroupDimension },
      { Name: 'LoadBalancer', Value: this.topology.loadBalancerDimension },
    ];
    const period = windowPeriod(window, this.periodSeconds);
    const query = (Id: string, MetricName: string, Stat: string): MetricDataQuery => ({
      Id,
      MetricStat: { Metric: { Namespace: ALB_NAMESPACE, MetricName, Dimensions: dimensions }, Period: period, Stat },
      ReturnData: true,
    });
    const queries = [
      query('requests', 'RequestCount', 'Sum'),
      query('http5xx', 'HTTPCode_Target_5XX_Count', 'Sum'),
      query('http4xx', 'HTTPCode_Target_4XX_Count', 'Sum'),
      query('p50', 'TargetResponseTime', 'p50'),
      query('p95', 'TargetResponseTime', 'p95'),
      query('p99', 'TargetResponseTime', 'p99'),
      query('unhealthy', 'UnHealthyHostCount', 'Maximum'),
    ];
    const results = await this.getMetricData(
      `ALB metrics of ${colour} (${this.topology.sides[colour].targetGroupDimension})`,
      queries,
      window,
    );
    const weights = requestWeights(results.get('requests'));
    const value = (id: string, stat: string) => combine(results.get(id), stat, stat.startsWith('p') ? weights : undefined);
    const requests = value('requests', 'Sum');
    // The load balancer publishes no zero counts: with requests on record, a missing error count is zero.
    const count = (id: string) => value(id, 'Sum') ?? (requests !== undefined ? 0 : undefined);
    const ms = (id: string) => {
      const seconds = value(id, id);
      return seconds === undefined ? undefined : seconds * 1000;
    };
    return {
      requests,
      http5xx: count('http5xx'),
      http4xx: count('http4xx'),
      latencyMs: { p50: ms('p50'), p95: ms('p95'), p99: ms('p99') },
      unhealthyHosts: value('unhealthy', 'Maximum'),
    };
  }

  async alarmStates(names: readonly string[]): Promise<readonly AlarmStatus[]> {
    if (names.length === 0) return [];
    const states = new Map<string, AlarmStatus['state']>();
    let NextToken: string | undefined;
    do {
      const page = await awsCall(`DescribeAlarms ${names.join(', ')}`, () =>
        this.clients.cloudwatch.send(
          new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken }),
        ),
      );
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (alarm.AlarmName) states.set(alarm.AlarmName, alarm.StateValue as AlarmStatus['state']);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return names.map((name) => ({ name, state: states.get(name) }));
  }

  async userMetric(name: string, scope: MetricScope, window: TimeWindow): Promise<number | undefined> {
    const spec = this.options.userQueries?.[name];
    if (!spec) throw new Error(`no metric query named ${name} is configured`);
    const extra = scope.role === 'canary' ? spec.canaryDimensions : spec.baselineDimensions;
    const dimensions = Object.entries({ ...spec.dimensions, ...extra }).map(([Name, Value]) => ({ Name, Value }));
    const results = await this.getMetricData(
      `metric ${name} (${spec.namespace}/${spec.metricName}, ${scope.role})`,
      [
        {
          Id: 'user',
          MetricStat: {
            Metric: { Namespace: spec.namespace, MetricName: spec.metricName, Dimensions: dimensions },
            Period: windowPeriod(window, this.periodSeconds),
            Stat: spec.stat,
          },
          ReturnData: true,
        },
      ],
      window,
    );
    return combine(results.get('user'), spec.stat);
  }

  private async getMetricData(what: string, queries: MetricDataQuery[], window: TimeWindow): Promise<Map<string, MetricDataResult>> {
    const results = new Map<string, MetricDataResult>();
    let NextToken: string | undefined;
    do {
      const page = await awsCall(`GetMetricData ${what}`, () =>
        this.clients.cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            ScanBy: 'TimestampAscending',
            NextToken,
          }),
        ),
      );
      for (const result of page.MetricDataResults ?? []) {
        if (!result.Id) continue;
        const previous = results.get(result.Id);
        results.set(
          result.Id,
          previous
            ? {
                ...previous,
                Values: [...(previous.Values ?? []), ...(result.Values ?? [])],
                Timestamps: [...(previous.Timestamps ?? []), ...(result.Timestamps ?? [])],
              }
            : result,
        );
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return results;
  }
}
