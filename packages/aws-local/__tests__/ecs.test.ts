import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  ListTaskDefinitionFamiliesCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clients, colourImages, colourTopology, failure, get, waitFor } from './support.js';

describe('ECS over JSON 1.1, with tasks as local processes', () => {
  let awsLocal: AwsLocal;
  let ecs: ECSClient;
  let elbv2: ElasticLoadBalancingV2Client;

  beforeAll(async () => {
    awsLocal = await startAwsLocal({ topology: colourTopology(), images: colourImages() });
    ({ ecs, elbv2 } = clients(awsLocal));
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  const describeService = async (name: string) =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: [name] }))).services?.[0];

  it('creates, lists and describes clusters, with MISSING failures for unknown ones', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'scratch', tags: [{ key: 'env', value: 'test' }] }));
    const list = await ecs.send(new ListClustersCommand({}));
    expect(list.clusterArns).toEqual(
      expect.arrayContaining(['arn:aws:ecs:eu-west-1:000000000000:cluster/svg-ai', 'arn:aws:ecs:eu-west-1:000000000000:cluster/scratch']),
    );
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['scratch', 'nope'], include: ['TAGS'] }));
    expect(described.clusters?.[0]).toMatchObject({ clusterName: 'scratch', status: 'ACTIVE', tags: [{ key: 'env', value: 'test' }] });
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:eu-west-1:000000000000:cluster/nope', reason: 'MISSING' }]);
  });

  it('registers task definition revisions, lists, describes and deregisters them', async () => {
    const register = (image: string) =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'scratch',
          cpu: '256',
          memory: '512',
          networkMode: 'awsvpc',
          containerDefinitions: [{ name: 'web', image, essential: true, portMappings: [{ containerPort: 8080 }] }],
        }),
      );
    const first = await register('colour:v1');
    const second = await register('colour:v2');
    expect([first.taskDefinition?.revision, second.taskDefinition?.revision]).toEqual([1, 2]);
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'scratch' }));
    expect(latest.taskDefinition).toMatchObject({ revision: 2, cpu: '256', memory: '512', containerDefinitions: [{ image: 'colour:v2' }] });
    expect(latest.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'scratch:1' }));
    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'scratch' }));
    expect(active.taskDefinitionArns).toEqual(['arn:aws:ecs:eu-west-1:000000000000:task-definition/scratch:2']);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'scratch', status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual(['arn:aws:ecs:eu-west-1:000000000000:task-definition/scratch:1']);
    expect(await failure(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'missing:9' })))).toMatchObject({
      name: 'ClientException',
      status: 400,
    });
  });

  it('runs a seeded service: a running task, registered and healthy in its target group, serving traffic', async () => {
    const service = await waitFor('blue steady', async () => {
      const s = await describeService('svg-ai-blue');
      return s?.runningCount === 1 && s.deployments?.[0]?.rolloutState === 'COMPLETED' && s;
    });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      failedTasks: 0,
    });
    expect(service.events?.map((e) => e.message)).toEqual(expect.arrayContaining(['(service svg-ai-blue) has reached a steady state.']));
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: awsLocal.resources.targetGroups['svg-ai-blue'] }));
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy']);
    expect(JSON.parse((await get(awsLocal.listenerUrl('production'))).body)).toMatchObject({ colour: 'blue' });
  });

  it('rolls a service to a new revision: PRIMARY and ACTIVE deployments, old task drained and stopped', async () => {
    const revision = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'svg-ai-blue',
        containerDefinitions: [
          {
            name: 'web',
            image: 'colour:blue2',
            environment: [
              { name: 'COLOUR', value: 'blue' },
              { name: 'REVISION', value: '2' },
            ],
          },
        ],
      }),
    );
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster: 'svg-ai', service: 'svg-ai-blue', taskDefinition: revision.taskDefinition?.taskDefinitionArn }),
    );
    expect(update.service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(update.service?.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    const done = await waitFor('rollout completed', async () => {
      const s = await describeService('svg-ai-blue');
      return s?.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s;
    });
    expect(done.taskDefinition).toBe(revision.taskDefinition?.taskDefinitionArn);
    expect(JSON.parse((await get(awsLocal.listenerUrl('production'))).body)).toMatchObject({ revision: '2' });
    const stopped = await ecs.send(new ListTasksCommand({ cluster: 'svg-ai', serviceName: 'svg-ai-blue', desiredStatus: 'STOPPED' }));
    const tasks = await ecs.send(new DescribeTasksCommand({ cluster: 'svg-ai', tasks: stopped.taskArns ?? [] }));
    await waitFor('old task stopped', async () => {
      const t = await ecs.send(new DescribeTasksCommand({ cluster: 'svg-ai', tasks: stopped.taskArns ?? [] }));
      return t.tasks?.every((task) => task.lastStatus === 'STOPPED');
    });
    expect(tasks.tasks?.[0]).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' });
  });

  it('replaces a task that exits, reporting its exit code and reason', async () => {
    const running = await ecs.send(new ListTasksCommand({ cluster: 'svg-ai', serviceName: 'svg-ai-green' }));
    const [taskArn] = running.taskArns ?? [];
    expect(taskArn).toBeDefined();
    await ecs.send(new StopTaskCommand({ cluster: 'svg-ai', task: taskArn, reason: 'testing replacement' }));
    const stopped = await waitFor('task stopped', async () => {
      const t = (await ecs.send(new DescribeTasksCommand({ cluster: 'svg-ai', tasks: [taskArn ?? ''] }))).tasks?.[0];
      return t?.lastStatus === 'STOPPED' && t;
    });
    expect(stopped).toMatchObject({ stoppedReason: 'testing replacement', stopCode: 'UserInitiated' });
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
    await waitFor('replacement running', async () => (await describeService('svg-ai-green'))?.runningCount === 1);
  });

  it('scales a service with desiredCount', async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: 'svg-ai', service: 'svg-ai-green', desiredCount: 2 }));
    await waitFor(
      'two green tasks',
      async () => (await ecs.send(new ListTasksCommand({ cluster: 'svg-ai', serviceName: 'svg-ai-green' }))).taskArns?.length === 2,
    );
    await ecs.send(new UpdateServiceCommand({ cluster: 'svg-ai', service: 'svg-ai-green', desiredCount: 1 }));
    await waitFor('one green task', async () => (await describeService('svg-ai-green'))?.runningCount === 1);
  });

  it('creates a service and lists services', async () => {
    const created = await ecs.send(
      new CreateServiceCommand({ cluster: 'scratch', serviceName: 'idle', taskDefinition: 'scratch', desiredCount: 0 }),
    );
    expect(created.service).toMatchObject({ serviceName: 'idle', status: 'ACTIVE', desiredCount: 0, launchType: 'FARGATE' });
    const list = await ecs.send(new ListServicesCommand({ cluster: 'scratch' }));
    expect(list.serviceArns).toEqual(['arn:aws:ecs:eu-west-1:000000000000:service/scratch/idle']);
  });

  it('lists task definition families and deletes a scaled-down service, then its cluster', async () => {
    expect((await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'svg-ai' }))).families).toEqual([
      'svg-ai-blue',
      'svg-ai-green',
    ]);
    expect(await failure(ecs.send(new DeleteClusterCommand({ cluster: 'scratch' })))).toMatchObject({
      name: 'ClusterContainsServicesException',
    });
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster: 'scratch', service: 'idle' }));
    expect(deleted.service?.status).toBe('DRAINING');
    await waitFor(
      'service inactive',
      async () => (await ecs.send(new ListServicesCommand({ cluster: 'scratch' }))).serviceArns?.length === 0,
    );
    expect((await ecs.send(new DeleteClusterCommand({ cluster: 'scratch' }))).cluster?.status).toBe('INACTIVE');
  });

  it('tags services and task definitions', async () => {
    const arn = awsLocal.resources.services['svg-ai-blue'] ?? '';
    await ecs.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: 'rollout', value: 'r1' },
          { key: 'x', value: 'y' },
        ],
      }),
    );
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['x'] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'rollout', value: 'r1' }]);
  });

  describe('errors', () => {
    it('answers unknown services and clusters with the ECS exceptions', async () => {
      expect(await failure(ecs.send(new UpdateServiceCommand({ cluster: 'svg-ai', service: 'nope', desiredCount: 1 })))).toMatchObject({
        name: 'ServiceNotFoundException',
        status: 400,
      });
      expect(await failure(ecs.send(new ListServicesCommand({ cluster: 'nope' })))).toMatchObject({
        name: 'ClusterNotFoundException',
        status: 400,
      });
      expect(
        await failure(ecs.send(new UpdateServiceCommand({ cluster: 'svg-ai', service: 'svg-ai-blue', desiredCount: -1 }))),
      ).toMatchObject({ name: 'InvalidParameterException' });
      const missing = await ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['ghost'] }));
      expect(missing.failures).toEqual([{ arn: 'arn:aws:ecs:eu-west-1:000000000000:service/svg-ai/ghost', reason: 'MISSING' }]);
      expect(
        await failure(
          ecs.send(new TagResourceCommand({ resourceArn: 'arn:aws:ecs:eu-west-1:000000000000:service/svg-ai/ghost', tags: [] })),
        ),
      ).toMatchObject({ name: 'ServiceNotFoundException' });
    });
  });
});
