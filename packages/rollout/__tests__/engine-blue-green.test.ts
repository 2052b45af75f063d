import { describe, expect, it } from '@jest/globals';
import { blueGreenPlan, type SmokeConfig } from '../src/index.js';
import { createFakeWorld, IMAGE, MINUTE, run, standardConfig } from './scenario.js';

const plan = blueGreenPlan({ smoke: true, bakeMs: 10 * MINUTE, analysisIntervalMs: 5_000, onInconclusive: { action: 'fail' } });
const smoke: SmokeConfig = {
  request: { count: 20, path: '/healthz', timeoutMs: 2_000 },
  expectedStatus: 200,
  maxLatencyMs: 500,
  maxFailures: 0,
  versionPath: '/version',
};
const config = standardConfig({ smoke });
const reportsNewVersion = { status: 200, body: JSON.stringify({ image: IMAGE.split('@')[1], model: { version: '1.4.0' } }) };

describe('blue-green', () => {
  it('smokes the new colour through the test listener, switches all traffic at once, and promotes after the bake', async () => {
    const world = createFakeWorld();
    world.probe.versionBody = reportsNewVersion;
    const record = await run(world, { plan, config });

    expect(record.status).toBe('promoted');
    expect(record.strategy).toBe('blue-green');
    expect(world.probe.sent).toEqual([smoke.request]);
    expect(world.log.matching('router.setWeights')).toEqual(['router.setWeights blue=0 green=100']);
    expect(record.steps[0]).toMatchObject({ kind: 'smoke', verdict: 'pass' });
    expect(world.log.indexOf('fleet.scale blue 0')).toBeGreaterThan(world.log.indexOf('router.setWeights blue=0 green=100'));
  });

  it('does not switch when the smoke checks fail', async () => {
    const world = createFakeWorld();
    world.probe.versionBody = reportsNewVersion;
    world.probe.respond = (_request, index) => (index % 4 === 0 ? { status: 502, latencyMs: 3 } : { status: 200, latencyMs: 30 });
    const record = await run(world, { plan, config });

    expect(record.status).toBe('failed');
    expect(record.reason).toMatch(/^smoke checks did not pass: probe: 5 of 20 bad/);
    expect(world.router.maxWeight('green')).toBe(0);
    expect(world.fleet.services.green.desiredCount).toBe(0);
  });

  it('does not switch when the new side reports another model version', async () => {
    const world = createFakeWorld();
    world.probe.versionBody = { status: 200, body: JSON.stringify({ image: IMAGE, model: '1.3.0' }) };
    const record = await run(world, { plan, config });
    expect(record.status).toBe('failed');
    expect(record.reason).toContain('the new side does not report model version 1.4.0');
  });

  it('rolls back within the bake by flipping the weights back', async () => {
    const world = createFakeWorld();
    world.probe.versionBody = reportsNewVersion;
    world.clock.after(3 * MINUTE, () => {
      world.metrics.behaviour.green = { ...world.metrics.behaviour.green, errorRate: 0.2 };
    });
    const record = await run(world, { plan, config });

    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('5xx rate SLO');
    expect(world.log.matching('router.setWeights')).toEqual(['router.setWeights blue=0 green=100', 'router.setWeights blue=100 green=0']);
    expect(world.log.indexOf('router.setWeights blue=100 green=0')).toBeLessThan(world.log.indexOf('fleet.scale green 0'));
    expect(world.fleet.services.blue.desiredCount).toBe(3);
  });
});
