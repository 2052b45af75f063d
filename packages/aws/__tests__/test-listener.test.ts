import { describe, expect, it } from '@jest/globals';
import { CallLog, FakeClock, FakeFleet, FakeTrafficRouter } from '@svg-ai-release/rollout/testing';
import { TestListenerFleet } from '../src/index.js';

const TEST_LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/svg-ai/50dc/7e57';

function world(testWeights = { blue: 0, green: 100 }) {
  const clock = new FakeClock();
  const log = new CallLog();
  const testListener = new FakeTrafficRouter(clock, log, testWeights);
  const fleet = new TestListenerFleet(new FakeFleet(clock, log), testListener, TEST_LISTENER);
  return { log, testListener, fleet };
}

const toBlue = { from: 'green', to: 'blue', revision: { image: 'svg-ai@sha256:1' }, desiredCount: 3 } as const;

describe('TestListenerFleet', () => {
  it('deploys, then points the test listener at the colour deployed to', async () => {
    const { log, testListener, fleet } = world();

    await fleet.deploy(toBlue);

    expect(log.entries).toEqual(['fleet.deploy blue svg-ai:2 x3', 'router.setWeights blue=100 green=0']);
    expect(testListener.weights).toEqual({ blue: 100, green: 0 });
  });

  it('does not write when the test listener already forwards there', async () => {
    const { log, fleet } = world({ blue: 100, green: 0 });

    await fleet.deploy(toBlue);

    expect(log.matching('router.')).toEqual([]);
  });

  it('fails retryably, naming the listener, when the read-back disagrees', async () => {
    const { testListener, fleet } = world();
    testListener.ignoreWrites = true;

    await expect(fleet.deploy(toBlue)).rejects.toMatchObject({
      retryable: true,
      message: `the test listener ${TEST_LISTENER} forwards blue=0 green=100 after being set to blue=100 green=0`,
    });
  });

  it('passes health, desired count and scaling through', async () => {
    const { log, fleet } = world();

    await fleet.scale('green', 0);

    await expect(fleet.desiredCount('green')).resolves.toBe(0);
    await expect(fleet.health('green', 0)).resolves.toMatchObject({ desiredCount: 0 });
    expect(log.entries).toEqual(['fleet.scale green 0']);
  });
});
