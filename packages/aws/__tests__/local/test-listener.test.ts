import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeListenersCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import { MemoryLogger } from '@svg-ai-release/rollout/testing';
import { createAwsRollout, ElbTrafficRouter, HttpProbe, systemClock, type AwsRollout } from '../../src/index.js';
import { startStandIn, topologyRequest, waitFor } from './support.js';

let local: AwsLocal;
let rollout: AwsRollout;
let testListener: ElbTrafficRouter;

beforeAll(async () => {
  local = await startStandIn({ greenCount: 0 });
  rollout = await createAwsRollout({
    ...topologyRequest(local, { testListenerArn: local.resources.listeners['test'] }),
    aws: { region: 'eu-west-1', endpoint: local.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } },
    clock: systemClock,
    logger: new MemoryLogger(),
  });
  testListener = new ElbTrafficRouter(rollout.clients, rollout.topology, rollout.topology.test);
});

afterAll(async () => {
  rollout?.clients.destroy();
  await local?.stop();
});

async function testListenerForward() {
  const { Listeners } = await rollout.clients.elbv2.send(
    new DescribeListenersCommand({ ListenerArns: [local.resources.listeners['test']!] }),
  );
  return Listeners?.[0]?.DefaultActions?.find((action) => action.Type === 'forward')?.ForwardConfig?.TargetGroups;
}

describe('deploying with a test listener', () => {
  it('leaves a test listener that already forwards to the colour deployed to as it is', async () => {
    const before = await testListenerForward();

    await rollout.ports.fleet.deploy({ from: 'blue', to: 'green', revision: { image: 'svg-ai:v2' }, desiredCount: 1 });

    await expect(testListener.readWeights()).resolves.toEqual({ blue: 0, green: 100 });
    expect(await testListenerForward()).toEqual(before);
  });

  it('points the test listener at the new idle colour after a promotion, so probes reach the new side', async () => {
    // Green was promoted: blue is now the idle side that the next release deploys to.
    await rollout.ports.router.setWeights({ blue: 0, green: 100 });
    const since = Date.now();

    await rollout.ports.fleet.deploy({
      from: 'green',
      to: 'blue',
      revision: { image: 'svg-ai:v3', environment: { MODEL_VERSION: '3.0.0' } },
      desiredCount: 1,
    });

    expect(await testListenerForward()).toEqual([
      { TargetGroupArn: rollout.topology.sides.blue.targetGroupArn, Weight: 100 },
      { TargetGroupArn: rollout.topology.sides.green.targetGroupArn, Weight: 0 },
    ]);
    await expect(rollout.ports.router.readWeights()).resolves.toEqual({ blue: 0, green: 100 });
    await waitFor('the new blue task healthy', async () => (await rollout.ports.fleet.health('blue', since)).healthyTargets === 1);
    // Until ECS has replaced it, the old blue task stays registered and may answer too: wait until the
    // target group holds one target, the new one, healthy.
    await waitFor('the old blue task deregistered', async () => {
      const { TargetHealthDescriptions } = await rollout.clients.elbv2.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: rollout.topology.sides.blue.targetGroupArn }),
      );
      return TargetHealthDescriptions?.length === 1 && TargetHealthDescriptions[0]?.TargetHealth?.State === 'healthy';
    });
    const { body } = await new HttpProbe(rollout.topology.test!.url).read('/version', 2_000);
    expect(JSON.parse(body)).toMatchObject({ image: 'svg-ai:v3', model_version: '3.0.0' });
  });

  it('hands out the probe on the test listener', () => {
    expect(rollout.ports.probe).toBeInstanceOf(HttpProbe);
  });
});
