/**
 * Runs that collide or die: a second rollout is refused while one holds the lock, and a run killed
 * mid-rollout is resumed or aborted by a re-run that finds its state in AWS alone.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { release, startWorld, Traffic, waitUntilServing, type World } from '../src/index.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function liveWorld(): Promise<World> {
  world = await startWorld({ app: 'release-app', fast: true });
  await waitUntilServing(world.productionUrl, 30_000);
  return world;
}

const MODEL = { 'model-version': '1.1.0' };
/** Killed a second into the first bake: traffic is split, and only the lock in AWS says where the rollout was. */
const KILL_IN_FIRST_BAKE = { signal: 'SIGKILL', when: /10% of production traffic on green/, delayMs: 1_000 } as const;

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

  it('lets the post step roll back what a killed main step left, as the runner runs it after a step timeout', async () => {
    const w = await liveWorld();
    const traffic = new Traffic({ url: w.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
    const image = await w.pushImage('candidate-d');
    const result = await release(w, {
      strategy: 'canary',
      image,
      runId: '404',
      interrupt: KILL_IN_FIRST_BAKE,
      postAfterKill: true,
      inputs: MODEL,
    });
    const samples = await traffic.stop();
    expect(result.main.signal).toBe('SIGKILL');
    expect(result.post?.stdout).toContain('the main step ended before the rollout settled');
    expect(result.post?.exitCode).toBe(0);
    expect(await w.productionWeights()).toEqual({ blue: 100, green: 0 });
    expect(samples.filter((s) => s.status === undefined || s.status >= 500)).toEqual([]);
  });

  it.each([
    ['resume', 'promoted', { blue: 0, green: 100 }],
    ['abort', 'aborted', { blue: 100, green: 0 }],
  ] as const)('lets a re-run of a killed rollout %s it from the state kept in AWS', async (mode, status, weights) => {
    const w = await liveWorld();
    const traffic = new Traffic({ url: w.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
    const image = await w.pushImage('candidate-c');
    const killed = await release(w, { strategy: 'canary', image, runId: '303', interrupt: KILL_IN_FIRST_BAKE, inputs: MODEL });
    expect(killed.main.signal).toBe('SIGKILL');
    expect(await w.productionWeights()).toEqual({ blue: 90, green: 10 });
    const rerun = await release(w, { strategy: 'canary', image, runId: '303', inputs: { ...MODEL, mode } });
    const samples = await traffic.stop();
    expect(rerun.record?.status).toBe(status);
    expect(await w.productionWeights()).toEqual(weights);
    expect(samples.filter((s) => s.status === undefined || s.status >= 500)).toEqual([]);
  });

  it('lets an operator in another run abort a stuck rollout only by taking over its lock', async () => {
    const w = await liveWorld();
    const image = await w.pushImage('candidate-e');
    await release(w, { strategy: 'canary', image, runId: '505', interrupt: KILL_IN_FIRST_BAKE, inputs: MODEL });
    const refused = await release(w, { strategy: 'canary', image, runId: '606', inputs: { ...MODEL, mode: 'abort' } });
    expect(refused.record?.status).toBe('refused');
    expect(await w.productionWeights()).toEqual({ blue: 90, green: 10 });
    const operator = await release(w, {
      strategy: 'canary',
      image,
      runId: '606',
      inputs: { ...MODEL, mode: 'abort', 'take-over': 'true' },
    });
    expect(operator.record?.status).toBe('aborted');
    expect(await w.productionWeights()).toEqual({ blue: 100, green: 0 });
  });
});
