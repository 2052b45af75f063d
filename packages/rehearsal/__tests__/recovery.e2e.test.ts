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
    const other = await w.pushImage('candidate-b');
    // The second run starts once the first has moved traffic (it logs it), whatever the machine's speed.
    let moved: () => void = () => undefined;
    const trafficMoved = new Promise<void>((resolve) => (moved = resolve));
    const onOutput = (line: string) => {
      if (/10% of production traffic on green/.test(line)) moved();
    };
    const first = release(w, { strategy: 'canary', image, runId: '101', inputs: MODEL, onOutput });
    await trafficMoved;
    const second = await release(w, { strategy: 'canary', image: other, runId: '202', inputs: MODEL });
    const winner = await first;
    await traffic.stop();
    expect(second.record?.status).toBe('refused');
    expect(second.main.exitCode).toBe(1);
    expect(second.record?.reason).toMatch(
      /^the listener is locked by rollout example-org\/svg-ai\/runs\/101\/canary by canary in example-org\/svg-ai run 101 /,
    );
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

  it('resumes a rollout killed at 20% from the environment alone: the recorded plan, bakes and image, to promotion', async () => {
    const w = await liveWorld();
    const traffic = new Traffic({ url: w.productionUrl, path: '/api/model-status', ratePerSecond: 40 }).start();
    const image = await w.pushImage('candidate-f');
    // A slow probe on a busy machine is not what this case is about: its ceiling is generous.
    const plan = { ...MODEL, steps: '5,20,100', 'bake-time': '6s', 'probe-max-latency': '5s' };
    const killed = await release(w, {
      strategy: 'canary',
      image,
      runId: '707',
      interrupt: { signal: 'SIGKILL', when: /20% of production traffic on green/, delayMs: 1_000 },
      inputs: plan,
    });
    expect(killed.main.signal).toBe('SIGKILL');
    expect(await w.productionWeights()).toEqual({ blue: 80, green: 20 });

    // As the operate workflow runs it: another run, mode resume, nothing of the plan, no image.
    const resumed = await release(w, { strategy: 'canary', image: '', runId: '808', asOperator: true, inputs: { mode: 'resume' } });
    const samples = await traffic.stop();
    // Status and reason together, so that a failure shows why the run did not promote.
    expect({ status: resumed.record?.status, reason: resumed.record?.reason }).toEqual({ status: 'promoted', reason: undefined });
    expect(resumed.main.exitCode).toBe(0);
    expect(resumed.record?.revision).toMatchObject({ image, modelVersion: '1.1.0' });
    const steps = resumed.record?.steps ?? [];
    expect(steps.filter((s) => s.kind === 'shift').map((s) => s.canaryPercent)).toEqual([20, 100]);
    // The recorded bake: 6 s at 20% (the analysis gate waits out the last second of metrics), not the default 5 minutes.
    const bakeAt20 = steps.find((s) => s.kind === 'bake' && s.canaryPercent === 20)!;
    expect(bakeAt20.durationMs).toBeGreaterThanOrEqual(5_000);
    expect(bakeAt20.durationMs).toBeLessThan(60_000);
    expect(resumed.main.outputs['task-definition-arn']).toMatch(/^arn:aws:ecs:[a-z0-9-]+:\d{12}:task-definition\/svg-ai:\d+$/);
    expect(await w.productionWeights()).toEqual({ blue: 0, green: 100 });
    expect(samples.filter((s) => s.status === undefined || s.status >= 500)).toEqual([]);
  });

  it('refuses an operator resume whose inputs contradict the recorded plan, changing nothing', async () => {
    const w = await liveWorld();
    const image = await w.pushImage('candidate-g');
    await release(w, {
      strategy: 'canary',
      image,
      runId: '909',
      interrupt: KILL_IN_FIRST_BAKE,
      inputs: MODEL,
    });
    const refused = await release(w, {
      strategy: 'canary',
      image: '',
      runId: '910',
      asOperator: true,
      inputs: { mode: 'resume', steps: '25,100' },
    });
    expect(refused.main.exitCode).toBe(1);
    expect(refused.main.stdout).toContain(
      `::error::canary: input 'steps': is "25,100", but the rollout in progress was started with "10,50,100"; ` +
        'leave it out to continue the recorded rollout, or abort it first',
    );
    expect(refused.post?.stdout ?? '').not.toContain('::warning::');
    expect(await w.productionWeights()).toEqual({ blue: 90, green: 10 });
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
