import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import type { DeployRequest } from '@svg-ai-release/rollout';
import { EcsFleet, resolveTopology, type AwsClients } from '../../src/index.js';
import { localClients, startStandIn, topologyRequest, waitFor } from './support.js';

let local: AwsLocal;
let clients: AwsClients;
let fleet: EcsFleet;

beforeAll(async () => {
  // Crashing revisions are deployed below: a slow relaunch keeps them from spinning processes meanwhile.
  local = await startStandIn({ greenCount: 0 }, { taskRestartDelayMs: 5_000 });
  clients = localClients(local);
  fleet = new EcsFleet(clients, await resolveTopology(clients, topologyRequest(local)));
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

const deployToGreen = (image: string, environment: Record<string, string>): DeployRequest => ({
  from: 'blue',
  to: 'green',
  revision: { image, environment },
  desiredCount: 1,
});

async function revisionsOf(family: string): Promise<string[]> {
  const { taskDefinitionArns } = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
  return taskDefinitionArns ?? [];
}

async function greenTaskDefinition(): Promise<string | undefined> {
  const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['svg-ai-green'] }));
  return services?.[0]?.taskDefinition;
}

describe('EcsFleet against the stand-in', () => {
  it('renders a new revision from the live one and points the idle service at it', async () => {
    const before = await revisionsOf('svg-ai-blue');

    const prepared = await fleet.deploy(deployToGreen('svg-ai:v2', { MODEL_VERSION: '2.0.0' }));

    expect(prepared.reused).toBe(false);
    expect(await revisionsOf('svg-ai-blue')).toEqual([...before, prepared.taskDefinition]);
    const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: prepared.taskDefinition }));
    expect(taskDefinition?.family).toBe('svg-ai-blue');
    expect(taskDefinition?.containerDefinitions?.[0]).toMatchObject({
      name: 'web',
      image: 'svg-ai:v2',
      // The live revision's environment, with the release's on top.
      environment: [
        { name: 'GIT_SHA', value: 'abc123' },
        { name: 'MODEL_VERSION', value: '2.0.0' },
      ],
    });
    expect(await greenTaskDefinition()).toBe(prepared.taskDefinition);
    await expect(fleet.desiredCount('green')).resolves.toBe(1);
  });

  it('reuses the identical revision on a second deploy instead of registering another', async () => {
    const before = await revisionsOf('svg-ai-blue');

    const again = await fleet.deploy(deployToGreen('svg-ai:v2', { MODEL_VERSION: '2.0.0' }));

    expect(again.reused).toBe(true);
    expect(again.taskDefinition).toBe(before.at(-1));
    expect(await revisionsOf('svg-ai-blue')).toEqual(before);
  });

  it('reports the new side healthy once its targets pass the health checks', async () => {
    const since = Date.now();
    const health = await waitFor('a healthy green target', async () => {
      const current = await fleet.health('green', since);
      return current.healthyTargets >= 1 && current;
    });
    expect(health).toEqual({ desiredCount: 1, runningCount: 1, healthyTargets: 1, stoppedTasks: [] });
  });

  it('reports a revision whose process exits at start with its exit code and reason', async () => {
    const since = Date.now();
    await fleet.deploy(deployToGreen('svg-ai:v3', { EXIT_ON_START: '3' }));

    const health = await waitFor('a stopped green task', async () => {
      const current = await fleet.health('green', since);
      return current.stoppedTasks.length > 0 && current;
    });
    expect(health.stoppedTasks[0]).toEqual({
      taskId: expect.stringMatching(/^[0-9a-f]{32}$/),
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'web', exitCode: 3, reason: expect.any(String) }],
    });
  });

  it('reports a revision that cannot start with the reason ECS gives', async () => {
    local.admin.injectFaults({ tasks: [{ image: 'svg-ai:broken', failToStart: true }] });
    const since = Date.now();
    await fleet.deploy(deployToGreen('svg-ai:broken', {}));

    const health = await waitFor('a green task that failed to start', async () => {
      const current = await fleet.health('green', since);
      return current.stoppedTasks.length > 0 && current;
    });
    expect(health.stoppedTasks[0]?.stoppedReason).toMatch(/^CannotStartContainerError: .*svg-ai:broken/);
    expect(health.stoppedTasks[0]?.containers).toEqual([{ name: 'web', exitCode: undefined }]);
  });

  it('scales a side', async () => {
    await fleet.scale('green', 0);
    await expect(fleet.desiredCount('green')).resolves.toBe(0);
    await fleet.scale('green', 2);
    await expect(fleet.desiredCount('green')).resolves.toBe(2);
    await fleet.scale('green', 0);
  });
});
