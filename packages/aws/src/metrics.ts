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

/** A period covering the whole window at the given resolution (CloudWatch wants multiples of 60 above a minute). */
export function windowPeriod(window: TimeWindow, resolutionSeconds: number): number {
  const seconds = Math.max(1, Math.ceil((window.end - window.start) / 1000));
  const step = seconds > 60 || resolutionSeconds >= 60 ? 60 : resolutionSeconds;
  return Math.max(resolutionSeconds, Math.ceil(seconds / step) * step);
}

/** Values of one query combined over its data points: counts add up, everything else keeps the worst (highest). */
export function combine(result: MetricDataResult | undefined, stat: string): number | undefined {
  const values = result?.Values ?? [];
  if (values.length === 0) return undefined;
  if (stat === 'Sum' || stat === 'SampleCount') return values.reduce((sum, value) => sum + value, 0);
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Average') return values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.max(...values);
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
    const value = (id: string, stat: string) => combine(results.get(id), stat);
    const requests = value('requests', 'Sum');
    // The load balancer publishes no zero counts: with requests on record, a missing error count is zero.
    const count = (id: string) => value(id, 'Sum') ?? (requests !== undefined ? 0 : undefined);
    const ms = (id: string) => {
      const seconds = value(id, 'Maximum');
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
        results.set(result.Id, previous ? { ...previous, Values: [...(previous.Values ?? []), ...(result.Values ?? [])] } : result);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return results;
  }
}
