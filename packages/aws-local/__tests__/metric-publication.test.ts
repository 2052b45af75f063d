import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { AlbMetrics } from '../src/dataplane/alb-metrics.js';
import { CloudWatchService } from '../src/cloudwatch/service.js';
import { Elbv2Service } from '../src/elbv2/service.js';
import { emptyElbv2State } from '../src/elbv2/model.js';
import { clients, colourImages, colourTopology, get, waitFor } from './support.js';

describe('ALB metric publication with real-world timing (60 s period, 60 s delay)', () => {
  let awsLocal: AwsLocal;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    awsLocal = await startAwsLocal({
      topology: colourTopology(),
      images: colourImages(),
      metrics: { periodSeconds: 60, delaySeconds: 60 },
    });
    cloudwatch = clients(awsLocal).cloudwatch;
    await waitFor('blue healthy', async () => {
      const health = await clients(awsLocal).elbv2.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: awsLocal.resources.targetGroups['svg-ai-blue'] }),
      );
      return health.TargetHealthDescriptions?.[0]?.TargetHealth?.State === 'healthy';
    });
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  it('does not show requests before their minute has closed and the delay has passed', async () => {
    for (let i = 0; i < 20; i += 1) expect((await get(awsLocal.listenerUrl('production'))).status).toBe(200);
    const lb = awsLocal.resources.loadBalancers['svg-ai']?.split(':loadbalancer/')[1] ?? '';
    const result = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 3_600_000),
        EndTime: new Date(Date.now() + 3_600_000),
        MetricDataQueries: [
          {
            Id: 'r',
            MetricStat: {
              Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: lb }] },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    expect(result.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('stamps each datapoint with the start of its minute and makes it visible at minute end + delay', () => {
    const cw = new CloudWatchService({ region: 'eu-west-1', accountId: '000000000000' });
    const elbv2 = new Elbv2Service(
      emptyElbv2State(),
      { region: 'eu-west-1', accountId: '000000000000' },
      { bind: async () => 0, release: async () => undefined },
    );
    const metrics = new AlbMetrics(cw, elbv2, { periodSeconds: 60, delaySeconds: 60 });
    const lbArn = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/svg-ai/0123456789abcdef';
    metrics.recordRequest(lbArn, undefined, { kind: 'elb', status: 503 }, Date.UTC(2026, 0, 1, 12, 0, 42));
    const point = cw.metrics.get({
      namespace: 'AWS/ApplicationELB',
      name: 'HTTPCode_ELB_5XX_Count',
      dimensions: [{ Name: 'LoadBalancer', Value: 'app/svg-ai/0123456789abcdef' }],
    })?.points[0];
    expect(point).toMatchObject({ t: Date.UTC(2026, 0, 1, 12, 0, 0), visibleAt: Date.UTC(2026, 0, 1, 12, 2, 0), sum: 1 });
  });
});
