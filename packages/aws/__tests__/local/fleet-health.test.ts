/**
 * The health of a side that still runs, or ran, another revision: what the engine must not mistake
 * for the new revision's (the old tasks' healthy targets, a circuit-breaker rollback).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import { EcsFleet, resolveTopology, type AwsClients } from '../../src/index.js';
import { localClients, startStandIn, topologyRequest, waitFor } from './support.js';

let local: AwsLocal;
let clients: AwsClients;
let fleet: EcsFleet;

beforeAll(async () => {
  local = await startStandIn({ greenCircuitBreaker: true });
  clients = localClients(local);
  fleet = new EcsFleet(clients, await resolveTopology(clients, topologyRequest(local)));
  await waitFor('green running its first revision, healthy', async () => (await fleet.health('green', 0)).healthyTargets === 1);
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

async function primaryDeployment() {
  const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['svg-ai-green'] }));
  return services?.[0]?.deployments?.find((deployment) => deployment.status === 'PRIMARY');
}

describe('EcsFleet health while the idle side changes revision', () => {
  it('does not count the previous revision’s healthy targets as the new one’s', async () => {
    const since = Date.now();
    await fleet.deploy({
      from: 'blue',
      to: 'green',
      revision: { image: 'svg-ai:v2', environment: { READY_DELAY_MS: '2000' } },
      desiredCount: 1,
    });

    const starting = await waitFor('the new task running', async () => {
      const health = await fleet.health('green', since);
      return health.runningCount === 1 && health;
    });
    const greenTargets = local.admin.state().targetGroups.find((group) => group.name === 'svg-ai-green')?.targets ?? [];
    expect(greenTargets.filter((target) => target.state === 'healthy')).toHaveLength(1); // the old task's, kept until the new one is ready
    expect(starting.healthyTargets).toBe(0);

    const ready = await waitFor('the new task healthy', async () => {
      const health = await fleet.health('green', since);
      return health.healthyTargets === 1 && health;
    });
    expect(ready).toEqual({ desiredCount: 1, runningCount: 1, healthyTargets: 1, stoppedTasks: [] });
  });

  it('reports the crashed tasks even after the circuit breaker rolled the service back', async () => {
    const completed = await waitFor('the v2 deployment completed', async () => {
      const primary = await primaryDeployment();
      return primary?.rolloutState === 'COMPLETED' && primary;
    });
    const since = Date.now();
    await fleet.deploy({
      from: 'blue',
      to: 'green',
      revision: { image: 'svg-ai:v3', environment: { EXIT_ON_START: '3' } },
      desiredCount: 1,
    });
    await waitFor('ECS to roll back to the last completed revision', async () => {
      const primary = await primaryDeployment();
      return primary?.taskDefinition === completed.taskDefinition;
    });

    const health = await fleet.health('green', since);

    expect(health.runningCount).toBe(0);
    expect(health.stoppedTasks.length).toBeGreaterThanOrEqual(3);
    expect(health.stoppedTasks.every((task) => task.containers[0]?.exitCode === 3)).toBe(true);
  });
});
