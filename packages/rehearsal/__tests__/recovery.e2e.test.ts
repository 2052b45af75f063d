/**
 * Runs that collide or die: a second rollout is refused while one holds the lock, and a run killed
 * mid-rollout is resumed or aborted by a re-run that finds its state in AWS alone.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { release, startWorld, Traffic, type World } from '../src/index.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function liveWorld(): Promise<World> {
  world = await startWorld({ app: 'release-app', fast: true });
  const deadline = Date.now() + 30_000;
  while (
    (await fetch(new URL('/ready', world.productionUrl)).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error('blue never became ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return world;
}

const MODEL = { 'model-version': '1.1.0' };

describe('rollouts that collide or die', () => {
  it('refuses a second concurrent rollout while the first holds the lock', async () => {
    const w = await liveWorld();
    const traffic = new Traffic({ url: w.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
    const image = await w.pushImage('candidate-a');
    const first = release(w, { strategy: 'canary', image, runId: '101', inputs: MODEL });
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = await release(w, { strategy: 'canary', image: await w.pushImage('candidate-b'), runId: '202', inputs: MODEL });
    const winner = await first;
    await traffic.stop();
    expect(second.record?.status).toBe('refused');
    expect(second.main.exitCode).toBe(1);
    expect(second.record?.reason).toMatch(/101/);
    expect(winner.record?.status).toBe('promoted');
    expect(await w.productionWeights()).toEqual({ blue: 0, green: 100 });
  });

  it.each([
    ['resume', 'promoted', { blue: 0, green: 100 }],
    ['abort', 'aborted', { blue: 100, green: 0 }],
  ] as const)('lets a re-run of a killed rollout %s it from the state kept in AWS', async (mode, status, weights) => {
    const w = await liveWorld();
    const traffic = new Traffic({ url: w.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
    const image = await w.pushImage('candidate-c');
    // Killed mid-rollout: traffic is split and only the lock says where the rollout was.
    const killed = await release(w, { strategy: 'canary', image, runId: '303', killAfterMs: 7_000, inputs: MODEL });
    expect(killed.main.signal).toBe('SIGKILL');
    const split = await w.productionWeights();
    expect(split.green).toBeGreaterThan(0);
    expect(split.green).toBeLessThan(100);
    const rerun = await release(w, { strategy: 'canary', image, runId: '303', inputs: { ...MODEL, mode } });
    const samples = await traffic.stop();
    expect(rerun.record?.status).toBe(status);
    expect(await w.productionWeights()).toEqual(weights);
    expect(samples.filter((s) => s.status === undefined || s.status >= 500)).toEqual([]);
  });
});
