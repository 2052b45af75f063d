import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clients, colourImages, colourTopology, failure, get, waitFor } from './support.js';

describe('fault injection', () => {
  let awsLocal: AwsLocal;
  let sdk: ReturnType<typeof clients>;

  beforeAll(async () => {
    awsLocal = await startAwsLocal({ topology: colourTopology(), images: colourImages() });
    sdk = clients(awsLocal);
    for (const group of ['svg-ai-blue', 'svg-ai-green']) {
      await waitFor(`${group} healthy`, async () => {
        const health = await sdk.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: awsLocal.resources.targetGroups[group] }));
        return health.TargetHealthDescriptions?.some((d) => d.TargetHealth?.State === 'healthy');
      });
    }
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  const postFaults = (body: unknown) => fetch(`${awsLocal.endpoint}/_aws-local/faults`, { method: 'POST', body: JSON.stringify(body) });
  const clearFaults = () => fetch(`${awsLocal.endpoint}/_aws-local/faults`, { method: 'DELETE' });

  describe('API faults', () => {
    it('throttles a burst of N calls with each protocol’s code, then recovers', async () => {
      expect(
        (
          await postFaults({
            throttle: [
              { service: 'elasticloadbalancing', count: 2 },
              { service: 'ecs', count: 1 },
              { service: 'monitoring', count: 1 },
            ],
          })
        ).status,
      ).toBe(200);
      for (let i = 0; i < 2; i += 1)
        expect(await failure(sdk.elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
      await sdk.elbv2.send(new DescribeLoadBalancersCommand({}));
      expect(await failure(sdk.ecs.send(new ListClustersCommand({})))).toMatchObject({ name: 'ThrottlingException', status: 400 });
      expect(await failure(sdk.cloudwatch.send(new DescribeAlarmsCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
      await sdk.ecs.send(new ListClustersCommand({}));
    });

    it('adds latency to one service’s calls', async () => {
      await postFaults({ latency: [{ service: 'ecs', ms: 300 }] });
      const started = Date.now();
      await sdk.ecs.send(new ListClustersCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      await clearFaults();
      const fast = Date.now();
      await sdk.ecs.send(new ListClustersCommand({}));
      expect(Date.now() - fast).toBeLessThan(300);
    });

    it('rejects a malformed fault configuration with a message naming the problem', async () => {
      const response = await postFaults({ tasks: [{ image: 'colour:*', errorRate: 2 }] });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('errorRate') });
    });
  });

  describe('task faults', () => {
    const tasksOf = async (service: string, desiredStatus: 'RUNNING' | 'STOPPED') => {
      const arns = (await sdk.ecs.send(new ListTasksCommand({ cluster: 'svg-ai', serviceName: service, desiredStatus }))).taskArns ?? [];
      return arns.length ? ((await sdk.ecs.send(new DescribeTasksCommand({ cluster: 'svg-ai', tasks: arns }))).tasks ?? []) : [];
    };

    it('answers 5xx at the given rate, counted as target 5XX in the metrics', async () => {
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:green', errorRate: 1, errorStatus: 503 }] });
      const url = awsLocal.listenerUrl('test');
      const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await get(url)).status));
      expect(new Set(statuses)).toEqual(new Set([503]));
      awsLocal.admin.clearFaults();
      expect((await get(url)).status).toBe(200);

      const lb = awsLocal.resources.loadBalancers['svg-ai']?.split(':loadbalancer/')[1] ?? '';
      const count = await waitFor('5XX published', async () => {
        const result = await sdk.cloudwatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 60_000),
            MetricDataQueries: [
              {
                Id: 'e',
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/ApplicationELB',
                    MetricName: 'HTTPCode_Target_5XX_Count',
                    Dimensions: [{ Name: 'LoadBalancer', Value: lb }],
                  },
                  Period: 60,
                  Stat: 'Sum',
                },
              },
            ],
          }),
        );
        const sum = (result.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
        return sum === 20 && sum;
      });
      expect(count).toBe(20);
    });

    it('answers 5xx at a partial rate', async () => {
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:green', errorRate: 0.5 }] });
      const statuses = await Promise.all(Array.from({ length: 200 }, async () => (await get(awsLocal.listenerUrl('test'))).status));
      awsLocal.admin.clearFaults();
      const errors = statuses.filter((s) => s === 500).length;
      // Binomial(200, 0.5): standard deviation 7, so 60–140 is over 5 sigma either way.
      expect(errors).toBeGreaterThan(60);
      expect(errors).toBeLessThan(140);
      expect(statuses.filter((s) => s !== 500).every((s) => s === 200)).toBe(true);
    });

    it('answers exactly every n-th request with the error status, in order, whatever the concurrency', async () => {
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:green', errorEvery: 4, errorStatus: 502 }] });
      const url = awsLocal.listenerUrl('test');
      // One at a time, the failing positions are known: the 4th, 8th and 12th.
      const inOrder: number[] = [];
      for (let i = 0; i < 12; i += 1) inOrder.push((await get(url)).status);
      expect(inOrder.map((status, i) => (status === 502 ? i + 1 : 0)).filter(Boolean)).toEqual([4, 8, 12]);
      expect(inOrder.filter((status) => status !== 502).every((status) => status === 200)).toBe(true);
      // Concurrently, the count is still exact: 100 requests, 25 errors.
      const together = await Promise.all(Array.from({ length: 100 }, async () => (await get(url)).status));
      awsLocal.admin.clearFaults();
      expect(together.filter((status) => status === 502)).toHaveLength(25);
      expect(together.filter((status) => status === 200)).toHaveLength(75);
    });

    it.each<[Record<string, unknown>, string]>([
      [{ image: 'colour:*', errorEvery: 0 }, "'errorEvery' must be a number of at least 1, got 0"],
      [{ image: 'colour:*', errorEvery: 2.5 }, "'errorEvery' must be a whole number of requests, got 2.5"],
      [{ image: 'colour:*', errorEvry: 2 }, "Unknown task fault field 'errorEvry'"],
    ])('refuses the task fault %p, naming the field', async (fault, message) => {
      const response = await postFaults({ tasks: [fault] });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'ValidationError', message: expect.stringContaining(message) });
    });

    it('answers slowly', async () => {
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:green', delayMs: 250 }] });
      const started = performance.now();
      expect((await get(awsLocal.listenerUrl('test'))).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      awsLocal.admin.clearFaults();
    });

    it('crashes a task after N requests; ECS records exit code 137 and replaces it', async () => {
      const [before] = await tasksOf('svg-ai-green', 'RUNNING');
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:green', crashAfterRequests: 3 }] });
      for (let i = 0; i < 3; i += 1) expect((await get(awsLocal.listenerUrl('test'))).status).toBe(200);
      const crashed = await waitFor('crashed task stopped', async () =>
        (await tasksOf('svg-ai-green', 'STOPPED')).find((t) => t.taskArn === before?.taskArn && t.lastStatus === 'STOPPED'),
      );
      awsLocal.admin.clearFaults();
      expect(crashed).toMatchObject({ stoppedReason: 'Essential container in task exited', stopCode: 'EssentialContainerExited' });
      expect(crashed.containers?.[0]?.exitCode).toBe(137);
      // While no green target is healthy, the test listener answers 503 itself.
      await waitFor('replacement serving', async () => (await get(awsLocal.listenerUrl('test'))).status === 200);
      const service = (await sdk.ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['svg-ai-green'] }))).services?.[0];
      expect(service?.deployments?.[0]?.failedTasks).toBe(1);
    });

    it('fails to start tasks of an image; the circuit breaker fails the rollout and rolls back', async () => {
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:broken', failToStart: true }] });
      await sdk.ecs.send(
        new UpdateServiceCommand({
          cluster: 'svg-ai',
          service: 'svg-ai-blue',
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        }),
      );
      const stable = (await sdk.ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['svg-ai-blue'] }))).services?.[0]
        ?.taskDefinition;
      const broken = await sdk.ecs.send(
        new RegisterTaskDefinitionCommand({ family: 'svg-ai-blue', containerDefinitions: [{ name: 'web', image: 'colour:broken' }] }),
      );
      await sdk.ecs.send(
        new UpdateServiceCommand({ cluster: 'svg-ai', service: 'svg-ai-blue', taskDefinition: broken.taskDefinition?.taskDefinitionArn }),
      );

      const service = await waitFor('rolled back', async () => {
        const s = (await sdk.ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['svg-ai-blue'] }))).services?.[0];
        return s?.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.taskDefinition === stable && s;
      });
      expect(service.events?.map((e) => e.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/deployment failed: tasks failed to start/)]),
      );
      const failed = (await tasksOf('svg-ai-blue', 'STOPPED')).filter(
        (t) => t.taskDefinitionArn === broken.taskDefinition?.taskDefinitionArn,
      );
      expect(failed.length).toBeGreaterThanOrEqual(3);
      expect(failed[0]).toMatchObject({
        stopCode: 'TaskFailedToStart',
        stoppedReason: expect.stringContaining("image 'colour:broken' fails to start"),
      });
      // Users never noticed: the old tasks kept serving throughout.
      expect(JSON.parse((await get(awsLocal.listenerUrl('production'))).body)).toMatchObject({ colour: 'blue' });
      awsLocal.admin.clearFaults();
    });

    it('answers 503 from the load balancer when a target group has no healthy target', async () => {
      awsLocal.admin.injectFaults({ tasks: [{ image: 'colour:green', crashAfterRequests: 1 }] });
      await get(awsLocal.listenerUrl('test'));
      const status = await waitFor('ELB 503', async () => {
        const { status } = await get(awsLocal.listenerUrl('test'));
        return status === 503 && status;
      });
      awsLocal.admin.clearFaults();
      expect(status).toBe(503);
      await waitFor('green back', async () => (await get(awsLocal.listenerUrl('test'))).status === 200);
      const lb = awsLocal.resources.loadBalancers['svg-ai']?.split(':loadbalancer/')[1] ?? '';
      await waitFor('HTTPCode_ELB_5XX_Count published', async () => {
        const result = await sdk.cloudwatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 60_000),
            MetricDataQueries: [
              {
                Id: 'e',
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/ApplicationELB',
                    MetricName: 'HTTPCode_ELB_5XX_Count',
                    Dimensions: [{ Name: 'LoadBalancer', Value: lb }],
                  },
                  Period: 60,
                  Stat: 'Sum',
                },
              },
            ],
          }),
        );
        return (result.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0) >= 1;
      });
    });
  });
});
