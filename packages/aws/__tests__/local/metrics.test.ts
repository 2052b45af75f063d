import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import type { TimeWindow, TrafficStats } from '@svg-ai-release/rollout';
import { CloudWatchMetrics, ElbTrafficRouter, resolveTopology, type AwsClients } from '../../src/index.js';
import { localClients, sendRequests, startStandIn, topologyRequest, waitFor } from './support.js';

let local: AwsLocal;
let clients: AwsClients;
let metrics: CloudWatchMetrics;
let router: ElbTrafficRouter;

const QUALITY = { namespace: 'SvgAi/Quality', metricName: 'Ssim', stat: 'Average', dimensions: { Service: 'svg-ai' } };

beforeAll(async () => {
  // Alarms keep the state they are set to: no evaluation runs during the test.
  local = await startStandIn({ greenImage: 'svg-ai:canary' }, { alarmEvaluationIntervalMs: 3_600_000 });
  clients = localClients(local);
  const topology = await resolveTopology(clients, topologyRequest(local));
  router = new ElbTrafficRouter(clients, topology);
  metrics = new CloudWatchMetrics(clients, topology, {
    periodSeconds: 1,
    userQueries: {
      quality: { ...QUALITY, canaryDimensions: { ModelVersion: '1.1.0' }, baselineDimensions: { ModelVersion: '1.0.0' } },
      unpublished: { ...QUALITY, canaryDimensions: { ModelVersion: '9.9.9' } },
    },
  });
  await waitFor('a healthy target on each side', async () => {
    const groups = local.admin.state().targetGroups.filter((group) => group.name === 'svg-ai-blue' || group.name === 'svg-ai-green');
    return groups.every((group) => group.targets.some((target) => target.state === 'healthy'));
  });
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

/**
 * The start of the next whole second: ALB data points are stamped with the start of their 1 s period,
 * so a window starting there holds this test's requests and none of the previous test's.
 */
async function nextSecond(): Promise<number> {
  const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
  await waitFor('the next second', async () => Date.now() >= boundary, 2_000);
  return boundary;
}

/** Reads both colours until the requests the client sent are all published (each period shows up once it closes). */
async function statsOnceAllPublished(start: number, total: number): Promise<{ blue: TrafficStats; green: TrafficStats }> {
  return waitFor(`${total} requests in CloudWatch`, async () => {
    const window: TimeWindow = { start, end: Math.ceil(Date.now() / 1000) * 1000 };
    const [blue, green] = await Promise.all([metrics.trafficStats('blue', window), metrics.trafficStats('green', window)]);
    return (blue.requests ?? 0) + (green.requests ?? 0) >= total && { blue, green };
  });
}

describe('CloudWatchMetrics against the stand-in', () => {
  it('gives undefined, never 0, for a window without traffic', async () => {
    const now = Date.now();
    const stats = await metrics.trafficStats('green', { start: now - 20_000, end: now - 10_000 });
    expect(stats).toEqual({
      requests: undefined,
      http5xx: undefined,
      http4xx: undefined,
      latencyMs: { p50: undefined, p95: undefined, p99: undefined },
      unhealthyHosts: undefined,
    });
  });

  it('counts per colour what the client saw, 5xx and latency included', async () => {
    await router.setWeights({ blue: 80, green: 20 });
    local.admin.injectFaults({ tasks: [{ image: 'svg-ai:canary', errorRate: 0.25, delayMs: 100 }] });
    const start = await nextSecond();

    const answers = await sendRequests(local.listenerUrl('production'), 200);
    local.admin.clearFaults();

    const { blue, green } = await statsOnceAllPublished(start, answers.length);
    const failed = answers.filter((answer) => answer.status === 500).length;
    expect(failed).toBeGreaterThan(0);
    expect(blue.requests).toBe(answers.filter((answer) => answer.side === 'blue').length);
    expect(green.requests).toBe(answers.filter((answer) => answer.side === 'green').length + failed);
    expect(blue.http5xx).toBe(0);
    expect(green.http5xx).toBe(failed);
    expect(green.http4xx).toBe(0);
    // Every green request waited 100 ms in front of the task; blue ones did not (however slow the machine,
    // blue is faster than green by that much: no absolute ceiling on blue's own latency).
    expect(green.latencyMs.p50).toBeGreaterThanOrEqual(100);
    expect(green.latencyMs.p99).toBeGreaterThanOrEqual(green.latencyMs.p95!);
    expect(green.latencyMs.p95).toBeGreaterThanOrEqual(green.latencyMs.p50!);
    expect(blue.latencyMs.p50).toBeLessThan(green.latencyMs.p50!);
    expect(green.unhealthyHosts).toBe(0);
  });

  it('gives undefined for the colour that got no traffic while the other did', async () => {
    await router.setWeights({ blue: 100, green: 0 });
    const start = await nextSecond();

    await sendRequests(local.listenerUrl('production'), 20);

    const { blue, green } = await statsOnceAllPublished(start, 20);
    expect(blue.requests).toBe(20);
    expect(green.requests).toBeUndefined();
    expect(green.http5xx).toBeUndefined();
    expect(green.latencyMs.p95).toBeUndefined();
  });

  it('reads alarm states, and undefined for an alarm that does not exist', async () => {
    for (const [name, state] of [
      ['svg-ai-5xx', 'ALARM'],
      ['svg-ai-latency', 'OK'],
    ] as const) {
      await clients.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [{ Name: 'LoadBalancer', Value: 'app/svg-ai/0' }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
      await clients.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'set by the test' }));
    }

    await expect(metrics.alarmStates(['svg-ai-5xx', 'svg-ai-absent', 'svg-ai-latency'])).resolves.toEqual([
      { name: 'svg-ai-5xx', state: 'ALARM' },
      { name: 'svg-ai-absent', state: undefined },
      { name: 'svg-ai-latency', state: 'OK' },
    ]);
    await expect(metrics.alarmStates([])).resolves.toEqual([]);
  });

  it('reads a user metric with the canary and baseline dimensions', async () => {
    const put = (modelVersion: string, values: number[]) =>
      clients.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: QUALITY.namespace,
          MetricData: values.map((Value) => ({
            MetricName: QUALITY.metricName,
            Dimensions: [
              { Name: 'Service', Value: 'svg-ai' },
              { Name: 'ModelVersion', Value: modelVersion },
            ],
            Timestamp: new Date(),
            Value,
          })),
        }),
      );
    await put('1.1.0', [0.8, 0.9]);
    await put('1.0.0', [0.95]);
    const window = { start: Date.now() - 30_000, end: Date.now() + 1_000 };

    const canary = await waitFor('the canary quality', () => metrics.userMetric('quality', { colour: 'green', role: 'canary' }, window));
    expect(canary).toBeCloseTo(0.85, 6);
    await expect(metrics.userMetric('quality', { colour: 'blue', role: 'baseline' }, window)).resolves.toBeCloseTo(0.95, 6);
    await expect(metrics.userMetric('unpublished', { colour: 'green', role: 'canary' }, window)).resolves.toBeUndefined();
    await expect(metrics.userMetric('nonesuch', { colour: 'green', role: 'canary' }, window)).rejects.toThrow(
      'no metric query named nonesuch is configured',
    );
  });
});
