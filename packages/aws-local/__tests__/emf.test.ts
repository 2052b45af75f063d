/**
 * EMF in a task's standard output becomes CloudWatch metrics, as the awslogs driver and CloudWatch Logs make
 * them: every dimension set of every directive, number or array values, the record's own timestamp.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { parseEmfLine } from '../src/dataplane/emf.js';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clientConfig, colourTopology, waitFor } from './support.js';

const record = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'SVGAI',
          Dimensions: [['ModelVersion'], ['ModelVersion', 'Converter']],
          Metrics: [{ Name: 'MeasuredSSIM', Unit: 'None' }],
        },
      ],
    },
    ModelVersion: '1.1.0',
    Converter: 'ai',
    MeasuredSSIM: 0.93,
    ...extra,
  });

describe('parseEmfLine', () => {
  it('gives one datum per dimension set and metric, with the values and the timestamp of the record', () => {
    expect(parseEmfLine(record())).toEqual([
      {
        namespace: 'SVGAI',
        name: 'MeasuredSSIM',
        dimensions: [{ Name: 'ModelVersion', Value: '1.1.0' }],
        values: [0.93],
        unit: 'None',
        timestamp: 1_700_000_000_000,
      },
      {
        namespace: 'SVGAI',
        name: 'MeasuredSSIM',
        dimensions: [
          { Name: 'ModelVersion', Value: '1.1.0' },
          { Name: 'Converter', Value: 'ai' },
        ],
        values: [0.93],
        unit: 'None',
        timestamp: 1_700_000_000_000,
      },
    ]);
    expect(parseEmfLine(record({ MeasuredSSIM: [0.5, 0.7] }))[0]?.values).toEqual([0.5, 0.7]);
  });

  it.each([
    ['a plain log line', 'GET /health 200'],
    ['JSON without _aws', '{"level":"info","message":"ready"}'],
    ['a truncated record', record().slice(0, 40)],
    ['a record without a timestamp', record().replace('"Timestamp":1700000000000,', '')],
    ['an AWS/ namespace', record().replace('"SVGAI"', '"AWS/ApplicationELB"')],
    ['a value that is not a number', record({ MeasuredSSIM: 'high' })],
  ])('ignores %s', (_, line) => {
    expect(parseEmfLine(line)).toEqual([]);
  });

  it('drops a dimension set whose dimension has no string value, and keeps the others', () => {
    expect(parseEmfLine(record({ Converter: 3 })).map((d) => d.dimensions.length)).toEqual([1]);
  });
});

describe('EMF from a task', () => {
  let awsLocal: AwsLocal;
  let cloudwatch: CloudWatchClient;
  // Prints one EMF record per request it answers, as the service does per conversion.
  const EMF_SERVER = `require('node:http').createServer((q, r) => {
    if (q.url === '/convert') console.log(JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'SVGAI',
      Dimensions: [['ModelVersion']], Metrics: [{ Name: 'MeasuredSSIM', Unit: 'None' }] }] }, ModelVersion: process.env.COLOUR, MeasuredSSIM: 0.9 }));
    r.end('ok'); }).listen(Number(process.env.PORT), '127.0.0.1')`;

  beforeAll(async () => {
    awsLocal = await startAwsLocal({
      topology: colourTopology(),
      images: { 'colour:*': { command: [process.execPath, '-e', EMF_SERVER] } },
    });
    cloudwatch = new CloudWatchClient(clientConfig(awsLocal));
  });
  afterAll(async () => {
    cloudwatch.destroy();
    await awsLocal.stop();
  });

  it('turns what the task prints into a metric GetMetricData returns', async () => {
    const url = `${awsLocal.listenerUrl('production')}/convert`;
    await waitFor('blue answering', async () => (await fetch(url).catch(() => undefined))?.status === 200);
    for (let i = 0; i < 4; i++) await fetch(url);
    const count = await waitFor('the records counted', async () => {
      const { MetricDataResults } = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 600_000),
          EndTime: new Date(Date.now() + 60_000),
          MetricDataQueries: [
            {
              Id: 'ssim',
              MetricStat: {
                Metric: { Namespace: 'SVGAI', MetricName: 'MeasuredSSIM', Dimensions: [{ Name: 'ModelVersion', Value: 'blue' }] },
                Period: 600,
                Stat: 'SampleCount',
              },
            },
          ],
        }),
      );
      const total = (MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
      return total >= 5 && total;
    });
    expect(count).toBe(5);
  });
});
