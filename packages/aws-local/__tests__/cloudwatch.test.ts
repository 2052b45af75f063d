import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clients, failure, waitFor } from './support.js';

describe('CloudWatch over JSON 1.0', () => {
  let awsLocal: AwsLocal;
  let cloudwatch: CloudWatchClient;
  const dimensions = [{ Name: 'Service', Value: 'svg-ai' }];
  // Whole-minute window in the recent past, so every value lands in known 1 s buckets.
  const base = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
  const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);

  beforeAll(async () => {
    awsLocal = await startAwsLocal({ alarmEvaluationIntervalMs: 50 });
    cloudwatch = clients(awsLocal).cloudwatch;
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'SvgAi',
        MetricData: [
          ...latencies
            .slice(0, 50)
            .map((v) => ({ MetricName: 'Latency', Dimensions: dimensions, Timestamp: at(0), Value: v, Unit: 'Milliseconds' as const })),
          ...latencies
            .slice(50)
            .map((v) => ({ MetricName: 'Latency', Dimensions: dimensions, Timestamp: at(1), Value: v, Unit: 'Milliseconds' as const })),
        ],
      }),
    );
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  const query = (stat: string, period = 1) =>
    cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(60),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: { Metric: { Namespace: 'SvgAi', MetricName: 'Latency', Dimensions: dimensions }, Period: period, Stat: stat },
          },
        ],
      }),
    );

  it.each([
    ['Sum', [1275, 3775]],
    ['Average', [25.5, 75.5]],
    ['Minimum', [1, 51]],
    ['Maximum', [50, 100]],
    ['SampleCount', [50, 50]],
    ['p50', [25, 75]],
    ['p99', [50, 100]],
  ])('GetMetricData %s over 1 s periods', async (stat, values) => {
    const result = (await query(stat)).MetricDataResults?.[0];
    expect(result).toMatchObject({ Id: 'm', StatusCode: 'Complete', Values: values });
    expect(result?.Timestamps).toEqual([at(0), at(1)]);
  });

  it('aggregates into longer periods and returns newest first by default', async () => {
    expect((await query('p95', 60)).MetricDataResults?.[0]?.Values).toEqual([95]);
    const descending = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(60),
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: { Metric: { Namespace: 'SvgAi', MetricName: 'Latency', Dimensions: dimensions }, Period: 1, Stat: 'Sum' },
          },
        ],
      }),
    );
    expect(descending.MetricDataResults?.[0]?.Timestamps).toEqual([at(1), at(0)]);
  });

  it('evaluates metric math across queries (an error rate), leaving helper series out', async () => {
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'SvgAi',
        MetricData: [
          { MetricName: 'Requests', Dimensions: dimensions, Timestamp: at(10), Value: 200 },
          { MetricName: 'Requests', Dimensions: dimensions, Timestamp: at(11), Value: 100 },
          { MetricName: 'Failures', Dimensions: dimensions, Timestamp: at(10), Value: 3 },
        ],
      }),
    );
    const stat = (MetricName: string) => ({ Metric: { Namespace: 'SvgAi', MetricName, Dimensions: dimensions }, Period: 1, Stat: 'Sum' });
    const result = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(10),
        EndTime: at(12),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'requests', MetricStat: stat('Requests'), ReturnData: false },
          { Id: 'failures', MetricStat: stat('Failures'), ReturnData: false },
          { Id: 'rate', Expression: '100 * FILL(failures, 0) / requests', Label: 'error rate %' },
        ],
      }),
    );
    expect(result.MetricDataResults).toEqual([
      { Id: 'rate', Label: 'error rate %', Timestamps: [at(10), at(11)], Values: [1.5, 0], StatusCode: 'Complete', Messages: [] },
    ]);
    expect(
      await failure(
        cloudwatch.send(
          new GetMetricDataCommand({ StartTime: at(0), EndTime: at(1), MetricDataQueries: [{ Id: 'x', Expression: 'SEARCH(foo)' }] }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('serves GetMetricStatistics with standard and extended statistics', async () => {
    const stats = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'SvgAi',
        MetricName: 'Latency',
        Dimensions: dimensions,
        StartTime: at(0),
        EndTime: at(60),
        Period: 60,
        Statistics: ['Sum', 'Maximum'],
        ExtendedStatistics: ['p90'],
      }),
    );
    expect(stats.Datapoints).toEqual([
      { Timestamp: at(0), Sum: 5050, Maximum: 100, Unit: 'Milliseconds', ExtendedStatistics: { p90: 90 } },
    ]);
  });

  it('lists metrics', async () => {
    const list = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'SvgAi', MetricName: 'Latency' }));
    expect(list.Metrics).toEqual([{ Namespace: 'SvgAi', MetricName: 'Latency', Dimensions: dimensions }]);
  });

  it('evaluates an alarm on the data, and SetAlarmState overrides until the next evaluation', async () => {
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'errors-high',
        Namespace: 'SvgAi',
        MetricName: 'Errors',
        Dimensions: dimensions,
        Statistic: 'Sum',
        Period: 1,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await waitFor(
      'alarm OK with no data',
      async () =>
        (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['errors-high'] }))).MetricAlarms?.[0]?.StateValue === 'OK',
    );
    await cloudwatch.send(
      new PutMetricDataCommand({ Namespace: 'SvgAi', MetricData: [{ MetricName: 'Errors', Dimensions: dimensions, Value: 10 }] }),
    );
    const alarm = await waitFor('alarm in ALARM', async () => {
      const found = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'errors' }))).MetricAlarms?.[0];
      return found?.StateValue === 'ALARM' && found;
    });
    expect(alarm.StateReason).toMatch(/^Threshold Crossed: 1 out of the last 2 datapoints \[10\] were greater than the threshold \(5\)/);
    expect(alarm.AlarmArn).toBe('arn:aws:cloudwatch:eu-west-1:000000000000:alarm:errors-high');

    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'errors-high', StateValue: 'INSUFFICIENT_DATA', StateReason: 'testing' }));
    await waitFor(
      'back to OK once the data ages out',
      async () => (await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'OK' }))).MetricAlarms?.length === 1,
    );
    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['errors-high'] }));
    expect((await cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  describe('errors', () => {
    it('rejects unsupported statistics, bad periods and reserved namespaces', async () => {
      expect(await failure(query('p101'))).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
      expect(await failure(query('Sum', 7))).toMatchObject({ name: 'InvalidParameterValueException' });
      expect(
        await failure(
          cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: [{ MetricName: 'x', Value: 1 }] })),
        ),
      ).toMatchObject({
        name: 'InvalidParameterValueException',
      });
    });

    it('answers SetAlarmState on an unknown alarm with ResourceNotFound', async () => {
      expect(
        await failure(cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'x' }))),
      ).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    });
  });
});
