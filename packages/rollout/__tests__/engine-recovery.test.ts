import { describe, expect, it } from '@jest/globals';
import type { RolloutLock } from '../src/index.js';
import { createFakeWorld, IMAGE, MINUTE, run, standardConfig, standardPlan } from './scenario.js';

const otherRollout: RolloutLock = {
  rolloutId: 'rollout-0',
  owner: 'run 0 attempt 1',
  runUrl: 'https://github.com/o/r/actions/runs/0',
  targetImage: 'svg-ai@sha256:0000',
  canaryColour: 'green',
  phase: 'deploying',
  stepIndex: 0,
  startedAt: Date.UTC(2025, 11, 31, 23, 50),
};

const rerun = standardConfig({ owner: 'run 1 attempt 2', runUrl: 'https://github.com/o/r/actions/runs/1/attempts/2' });

describe('the lock', () => {
  it('refuses a second rollout while another holds it, changing nothing', async () => {
    const world = createFakeWorld();
    world.state.lock = otherRollout;
    const record = await run(world);

    expect(record.status).toBe('refused');
    expect(record.reason).toBe(
      'the listener is locked by rollout rollout-0 by run 0 attempt 1 (https://github.com/o/r/actions/runs/0) of ' +
        'svg-ai@sha256:0000 to green, deploying at step 1, started 2025-12-31T23:50:00.000Z; wait for it, or run with force to take it over',
    );
    expect(world.log.entries).toEqual([]);
    expect(world.state.lock).toEqual(otherRollout);
  });

  it('lets exactly one of two runs started at the same moment through', async () => {
    const world = createFakeWorld();
    const [first, second] = await Promise.all([
      run(world),
      run(world, { config: standardConfig({ rolloutId: 'rollout-2', owner: 'run 2' }) }),
    ]);
    expect([first.status, second.status].sort()).toEqual(['promoted', 'refused']);
    const refused = first.status === 'refused' ? first : second;
    expect(refused.reason).toMatch(/another run took the lock at the same moment|the listener is locked by/);
  });

  it('is taken over with force', async () => {
    const world = createFakeWorld();
    world.state.lock = otherRollout;
    const record = await run(world, { config: standardConfig({ force: true }) });
    expect(record.status).toBe('promoted');
    expect(world.logger.messages('warn')[0]).toMatch(/^taking over the lock of rollout rollout-0/);
  });

  it('stops a run, without touching the weights, when another run takes its lock over', async () => {
    const world = createFakeWorld();
    world.clock.after(8 * MINUTE, () => {
      world.state.lock = { ...world.state.lock!, rolloutId: 'rollout-ops', owner: 'operator' };
    });
    const record = await run(world);
    expect(record.status).toBe('incomplete');
    expect(record.reason).toMatch(/^stopped: the lock was taken over by rollout rollout-ops by operator/);
    expect(world.log.matching('router.setWeights').at(-1)).toBe('router.setWeights blue=75 green=25');
  });
});

describe('resume', () => {
  it('after a crash mid-step continues from the recorded step, without redeploying', async () => {
    const world = createFakeWorld();
    const killed = world.clock.killAt(world.clock.now() + 8 * MINUTE);
    void run(world);
    await killed;
    expect(world.state.lock).toMatchObject({ phase: 'stepping', stepIndex: 4, owner: 'run 1 attempt 1' });
    expect(world.router.weights).toEqual({ blue: 75, green: 25 });

    const record = await run(world, { config: rerun, mode: 'resume' });
    expect(record.status).toBe('promoted');
    expect(record.weightsBefore).toEqual({ blue: 75, green: 25 });
    // The 25% step restarts at its shift, so its bake is judged over a whole window.
    expect(record.steps.map((s) => s.index)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(world.log.matching('fleet.deploy')).toHaveLength(1);
    expect(world.log.matching('router.setWeights blue=75 green=25')).toHaveLength(1);
    expect(world.state.lock).toBeUndefined();
  });

  it('after a crash while deploying deploys again, reusing the task definition', async () => {
    const world = createFakeWorld();
    world.fleet.healthyAfterMs = 2 * MINUTE;
    const killed = world.clock.killAt(world.clock.now() + MINUTE);
    void run(world);
    await killed;
    const record = await run(world, { config: rerun, mode: 'resume' });
    expect(record.status).toBe('promoted');
    expect(record.revision.taskDefinitionReused).toBe(true);
  });

  it('finishes an interrupted rollback', async () => {
    const world = createFakeWorld();
    world.router.force({ blue: 75, green: 25 });
    world.fleet.services.green.desiredCount = 3;
    world.state.lock = { ...otherRollout, rolloutId: 'rollout-1', targetImage: IMAGE, phase: 'rolling-back', stepIndex: 4 };
    const record = await run(world, { config: rerun, mode: 'resume' });
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toBe('finishing an interrupted rollback');
    expect(world.router.weights).toEqual({ blue: 100, green: 0 });
    expect(world.fleet.services.green.desiredCount).toBe(0);
  });

  it('refuses when nothing is in progress', async () => {
    const world = createFakeWorld();
    const record = await run(world, { mode: 'resume' });
    expect(record.status).toBe('refused');
    expect(record.reason).toBe('nothing to resume: blue takes all traffic and no rollout is locked');
  });

  it('refuses split weights without a lock, pointing to abort', async () => {
    const world = createFakeWorld();
    world.router.force({ blue: 50, green: 50 });
    const record = await run(world, { mode: 'resume' });
    expect(record.status).toBe('refused');
    expect(record.reason).toContain('run abort to send all traffic back');
  });

  it('refuses to resume a rollout of another revision', async () => {
    const world = createFakeWorld();
    world.state.lock = { ...otherRollout, rolloutId: 'rollout-1', phase: 'stepping', stepIndex: 4 };
    const record = await run(world, { config: rerun, mode: 'resume' });
    expect(record.status).toBe('refused');
    expect(record.reason).toBe(
      `the rollout in progress deploys svg-ai@sha256:0000, not ${IMAGE}; resume with the same revision, or abort it first`,
    );
  });

  it('refuses to take over another rollout without force', async () => {
    const world = createFakeWorld();
    world.router.force({ blue: 75, green: 25 });
    world.state.lock = { ...otherRollout, targetImage: IMAGE, phase: 'stepping', stepIndex: 4 };
    expect((await run(world, { mode: 'resume' })).status).toBe('refused');
  });
});

describe('approval', () => {
  const plan = standardPlan({ approvalBefore: [50] });

  it('pauses with the weights held and the lock kept', async () => {
    const world = createFakeWorld();
    const record = await run(world, { plan });
    expect(record.status).toBe('paused');
    expect(record.reason).toBe('waiting for approval at step 7; resume or abort');
    expect(world.router.weights).toEqual({ blue: 75, green: 25 });
    expect(world.state.lock).toMatchObject({ phase: 'paused', stepIndex: 6 });
    expect(world.fleet.services.green.desiredCount).toBe(3);
  });

  it('is given by resuming, which carries on from the approval', async () => {
    const world = createFakeWorld();
    await run(world, { plan });
    const record = await run(world, { plan, config: rerun, mode: 'resume' });
    expect(record.status).toBe('promoted');
    expect(record.steps[0]).toMatchObject({ index: 6, kind: 'await-approval', verdict: 'pass', reason: 'approved by run 1 attempt 2' });
    expect(record.steps[1]).toMatchObject({ index: 7, kind: 'shift', canaryPercent: 50 });
  });
});

describe('promote mode', () => {
  it('skips the remaining steps to the final shift and its kept-warm bake', async () => {
    const world = createFakeWorld();
    const plan = standardPlan({ approvalBefore: [50] });
    await run(world, { plan });
    const record = await run(world, { plan, config: rerun, mode: 'promote' });
    expect(record.status).toBe('promoted');
    expect(record.steps.map((s) => [s.index, s.kind, s.canaryPercent])).toEqual([
      [10, 'shift', 100],
      [11, 'bake', 100],
      [12, 'analyse', 100],
    ]);
    expect(world.log.matching('router.setWeights').slice(-1)).toEqual(['router.setWeights blue=0 green=100']);
    expect(world.fleet.services.blue.desiredCount).toBe(0);
  });

  it('refuses while the new colour is still being deployed', async () => {
    const world = createFakeWorld();
    world.state.lock = { ...otherRollout, rolloutId: 'rollout-1', targetImage: IMAGE };
    const record = await run(world, { config: rerun, mode: 'promote' });
    expect(record.status).toBe('refused');
    expect(record.reason).toBe('the new colour is still being deployed; resume the rollout before promoting it');
  });
});

describe('abort mode', () => {
  it('rolls a paused rollout back now: weights first, then scale-down, then the lock', async () => {
    const world = createFakeWorld();
    await run(world, { plan: standardPlan({ approvalBefore: [50] }) });
    const before = world.log.entries.length;
    const record = await run(world, { config: rerun, mode: 'abort' });

    expect(record.status).toBe('aborted');
    expect(record.reason).toBe('abort requested by run 1 attempt 2');
    expect(world.log.entries.slice(before)).toEqual([
      'state.write rollout-1 paused 6',
      'router.setWeights blue=100 green=0',
      'state.write rollout-1 rolling-back 6',
      'fleet.scale green 0',
      'state.clear',
    ]);
  });

  it('rolls back after a crash', async () => {
    const world = createFakeWorld();
    const killed = world.clock.killAt(world.clock.now() + 14 * MINUTE);
    void run(world);
    await killed;
    const record = await run(world, { config: rerun, mode: 'abort' });
    expect(record.status).toBe('aborted');
    expect(record.weightsBefore).toEqual({ blue: 50, green: 50 });
    expect(record.weightsAfter).toEqual({ blue: 100, green: 0 });
  });

  it('sends split weights without a lock back to the colour with the most', async () => {
    const world = createFakeWorld();
    world.router.force({ blue: 30, green: 70 });
    const record = await run(world, { mode: 'abort' });
    expect(record.status).toBe('aborted');
    expect(record.colours).toEqual({ stable: 'green', canary: 'blue' });
    expect(world.router.weights).toEqual({ blue: 0, green: 100 });
  });

  it('has nothing to do when no rollout is in progress', async () => {
    const world = createFakeWorld();
    const record = await run(world, { mode: 'abort' });
    expect(record.status).toBe('aborted');
    expect(record.reason).toBe('nothing to abort: blue takes all traffic and no rollout is locked');
    expect(world.log.entries).toEqual([]);
  });
});

describe('a rollback that cannot restore the weights', () => {
  it('ends incomplete and keeps the lock, so a re-run finishes it', async () => {
    const world = createFakeWorld();
    world.metrics.behaviour.green = { ...world.metrics.behaviour.green, errorRate: 0.3 };
    world.clock.after(MINUTE, () => {
      world.router.ignoreWrites = true;
    });
    const record = await run(world);
    expect(record.status).toBe('incomplete');
    expect(record.reason).toContain('then restoring the weights to blue failed: the listener reports blue=90 green=10');
    expect(world.state.lock).toBeDefined();

    world.router.ignoreWrites = false;
    const retry = await run(world, { config: rerun, mode: 'abort' });
    expect(retry.status).toBe('aborted');
    expect(world.router.weights).toEqual({ blue: 100, green: 0 });
    expect(world.state.lock).toBeUndefined();
  });
});
