import { describe, expect, it } from '@jest/globals';
import { createFakeWorld } from '../src/testing/index.js';

describe('the fake clock', () => {
  it('moves time on sleep without waiting, firing scheduled callbacks on the way', async () => {
    const world = createFakeWorld();
    const start = world.clock.now();
    const fired: number[] = [];
    world.clock.after(1_000, () => fired.push(world.clock.now() - start));
    await world.clock.sleep(30 * 60_000);
    expect(world.clock.now() - start).toBe(30 * 60_000);
    expect(fired).toEqual([1_000]);
  });

  it('returns early, at the moment of the abort, when the signal aborts', async () => {
    const world = createFakeWorld();
    const start = world.clock.now();
    const controller = new AbortController();
    world.clock.after(5_000, () => controller.abort());
    await world.clock.sleep(60_000, controller.signal);
    expect(world.clock.now() - start).toBe(5_000);
  });
});

describe('the fake metrics', () => {
  it('split steady traffic by the weights in force, and hold back what is not yet published', async () => {
    const world = createFakeWorld();
    const start = world.clock.now();
    world.metrics.requestsPerSecond = 10;
    world.metrics.publicationDelayMs = 60_000;
    await world.clock.sleep(60_000);
    await world.router.setWeights({ blue: 90, green: 10 });
    await world.clock.sleep(120_000);

    const window = { start, end: world.clock.now() };
    expect((await world.metrics.trafficStats('green', window)).requests).toBe(60); // 1 min published at 1 rps
    expect((await world.metrics.trafficStats('blue', window)).requests).toBe(1140);
  });

  it('report no data points, not zero, for a colour without traffic', async () => {
    const world = createFakeWorld();
    await world.clock.sleep(60_000);
    const stats = await world.metrics.trafficStats('green', { start: 0, end: world.clock.now() });
    expect(stats.requests).toBeUndefined();
    expect(stats.latencyMs.p95).toBeUndefined();
  });
});
