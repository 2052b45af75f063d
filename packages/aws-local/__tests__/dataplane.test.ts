import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clients, colourImages, colourTopology, waitFor } from './support.js';

/** Sends `count` GETs with bounded concurrency and counts answers by colour. */
async function sendTraffic(url: string, count: number, concurrency = 16): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const response = await fetch(url);
      const key = response.status === 200 ? ((await response.json()) as { colour: string }).colour : `status-${response.status}`;
      seen[key] = (seen[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return seen;
}

describe('data plane: weighted listener, health checks and ALB metrics', () => {
  let awsLocal: AwsLocal;
  let elbv2: ElasticLoadBalancingV2Client;
  let cloudwatch: CloudWatchClient;
  const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);

  beforeAll(async () => {
    awsLocal = await startAwsLocal({ topology: colourTopology(), images: colourImages(), metrics: { periodSeconds: 1, delaySeconds: 0 } });
    ({ elbv2, cloudwatch } = clients(awsLocal));
    for (const group of ['svg-ai-blue', 'svg-ai-green']) {
      await waitFor(`${group} healthy`, async () => {
        const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: awsLocal.resources.targetGroups[group] }));
        return health.TargetHealthDescriptions?.[0]?.TargetHealth?.State === 'healthy';
      });
    }
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  const setWeights = (blue: number, green: number) =>
    elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: awsLocal.resources.listeners['production'],
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: awsLocal.resources.targetGroups['svg-ai-blue'], Weight: blue },
                { TargetGroupArn: awsLocal.resources.targetGroups['svg-ai-green'], Weight: green },
              ],
            },
          },
        ],
      }),
    );

  const seenTotals: Record<string, number> = {};

  // 1000 requests at 90/10: the green share has a standard deviation of 0.95 pp, so ±4 pp is over 4 sigma.
  // 3000 requests take as long as the machine needs: the test's time limit is generous, not a speed goal.
  it('moves traffic 100/0 → 90/10 → 0/100, within ±4 percentage points at 90/10', async () => {
    const url = awsLocal.listenerUrl('production');
    const phases: [number, number, Record<string, number>][] = [];
    for (const [blue, green] of [
      [100, 0],
      [90, 10],
      [0, 100],
    ] as const) {
      await setWeights(blue, green);
      const seen = await sendTraffic(url, 1000);
      phases.push([blue, green, seen]);
      for (const [colour, n] of Object.entries(seen)) seenTotals[colour] = (seenTotals[colour] ?? 0) + n;
    }
    expect(phases[0]?.[2]).toEqual({ blue: 1000 });
    const canary = phases[1]?.[2] ?? {};
    expect((canary['blue'] ?? 0) + (canary['green'] ?? 0)).toBe(1000);
    expect(Math.abs((canary['green'] ?? 0) / 1000 - 0.1)).toBeLessThanOrEqual(0.04);
    expect(phases[2]?.[2]).toEqual({ green: 1000 });
  }, 180_000);

  it('reports RequestCount per target group in GetMetricData equal to what the client saw', async () => {
    const lb = awsLocal.resources.loadBalancers['svg-ai']?.split(':loadbalancer/')[1] ?? '';
    const tgDimension = (name: string) => `targetgroup/${awsLocal.resources.targetGroups[name]?.split(':targetgroup/')[1]}`;
    const queries = ['svg-ai-blue', 'svg-ai-green'].map((name, i) => ({
      Id: `m${i}`,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'RequestCount',
          Dimensions: [
            { Name: 'LoadBalancer', Value: lb },
            { Name: 'TargetGroup', Value: tgDimension(name) },
          ],
        },
        Period: 60,
        Stat: 'Sum',
      },
    }));
    const sum = (values: number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);
    const counts = await waitFor('all requests published', async () => {
      const result = await cloudwatch.send(
        new GetMetricDataCommand({ StartTime: startedAt, EndTime: new Date(Date.now() + 60_000), MetricDataQueries: queries }),
      );
      const [blue, green] = (result.MetricDataResults ?? []).map((r) => sum(r.Values));
      return (blue ?? 0) + (green ?? 0) === 3000 && { blue, green };
    });
    expect(counts).toEqual({ blue: seenTotals['blue'], green: seenTotals['green'] });
  });

  it('publishes target response time, 2XX counts and healthy host counts', async () => {
    const lb = awsLocal.resources.loadBalancers['svg-ai']?.split(':loadbalancer/')[1] ?? '';
    const metric = (MetricName: string, Stat: string, Dimensions = [{ Name: 'LoadBalancer', Value: lb }]) => ({
      Namespace: 'AWS/ApplicationELB',
      MetricName,
      Dimensions,
      Stat,
    });
    const green = [
      { Name: 'LoadBalancer', Value: lb },
      { Name: 'TargetGroup', Value: `targetgroup/${awsLocal.resources.targetGroups['svg-ai-green']?.split(':targetgroup/')[1]}` },
    ];
    const wanted = [
      metric('HTTPCode_Target_2XX_Count', 'Sum'),
      metric('TargetResponseTime', 'p99'),
      metric('HealthyHostCount', 'Maximum', green),
      metric('UnHealthyHostCount', 'Maximum', green),
    ];
    const values = await waitFor('metrics published', async () => {
      const result = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: startedAt,
          EndTime: new Date(Date.now() + 60_000),
          MetricDataQueries: wanted.map(({ Stat, ...Metric }, i) => ({ Id: `q${i}`, MetricStat: { Metric, Period: 60, Stat } })),
        }),
      );
      // The traffic may span several wall-clock minutes: every period counts, not only the first.
      const series = (result.MetricDataResults ?? []).map((r) => r.Values ?? []);
      const okSum = (series[0] ?? []).reduce((a, b) => a + b, 0);
      // Host counts: the latest period's value (the targets became healthy after the first periods began).
      const latest = (result.MetricDataResults ?? []).map((r) => {
        const times = (r.Timestamps ?? []).map((t) => t.getTime());
        return r.Values?.[times.indexOf(Math.max(...times))];
      });
      return okSum >= 3000 && series.every((values) => values.length > 0) && { series, latest };
    });
    const [ok, p99] = values.series;
    const [, , healthy, unhealthy] = values.latest;
    expect(ok!.reduce((a, b) => a + b, 0)).toBe(3000);
    for (const value of p99!) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(1);
    }
    expect(healthy).toBe(1);
    expect(unhealthy).toBe(0);
  });
});
