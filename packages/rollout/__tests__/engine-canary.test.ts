import { describe, expect, it } from '@jest/globals';
import { canaryPlan, type DeploymentRecord } from '../src/index.js';
import { createFakeWorld, IMAGE, MINUTE, run, standardConfig, standardPlan } from './scenario.js';

const at = (record: DeploymentRecord, iso: string | undefined) => Date.parse(iso ?? '') - Date.parse(record.startedAt);

describe('a good canary', () => {
  it('walks every step, promotes, and scales the old colour down only after its bake', async () => {
    const world = createFakeWorld();
    const record = await run(world);

    expect(record.status).toBe('promoted');
    expect(record.colours).toEqual({ stable: 'blue', canary: 'green' });
    expect(record.weightsBefore).toEqual({ blue: 100, green: 0 });
    expect(record.weightsAfter).toEqual({ blue: 0, green: 100 });
    expect(record.liveColour).toBe('green');
    expect(world.log.matching('router.setWeights')).toEqual([
      'router.setWeights blue=90 green=10',
      'router.setWeights blue=75 green=25',
      'router.setWeights blue=50 green=50',
      'router.setWeights blue=0 green=100',
    ]);
    const judged = record.steps.filter((s) => s.kind !== 'bake');
    expect(judged.map((s) => s.verdict)).toEqual(Array(8).fill('pass'));
    expect(record.steps.filter((s) => s.kind === 'bake').map((s) => s.reason)).toEqual(Array(4).fill('no interval analysis failed'));
    expect(world.fleet.services.blue.desiredCount).toBe(0);
    expect(world.state.lock).toBeUndefined();

    // The old colour stays warm through the 10 minutes at 100% before it is scaled down: the bake, then the
    // gate's wait for the last minute of metrics, which is part of the step's time at that weight.
    const switched = world.router.history.find((h) => h.weights.green === 100)!.at;
    const scaledDown = world.log.indexOf('fleet.scale blue 0');
    expect(scaledDown).toBeGreaterThan(world.log.indexOf('router.setWeights blue=0 green=100'));
    const keepWarm = record.steps.find((s) => s.kind === 'bake' && s.canaryPercent === 100)!;
    const finalGate = record.steps[keepWarm.index + 1]!;
    expect(Date.parse(keepWarm.startedAt)).toBe(switched);
    expect(keepWarm.durationMs).toBe(9 * MINUTE);
    expect(Date.parse(finalGate.finishedAt!) - switched).toBe(10 * MINUTE);
  });

  it('records the revision, its task definition and the figures of each analysis', async () => {
    const world = createFakeWorld();
    const record = await run(world);
    expect(record.revision).toEqual({ image: IMAGE, modelVersion: '1.4.0', taskDefinition: 'svg-ai:2', taskDefinitionReused: false });
    const gate = record.steps.find((s) => s.kind === 'analyse' && s.canaryPercent === 10)!;
    // The gate judges the 4 minutes published by the end of the 5-minute step (metrics are a minute late).
    expect(gate.canary).toMatchObject({ colour: 'green', requests: 2400, p95Ms: 120 });
    expect(gate.baseline).toMatchObject({ colour: 'blue', requests: 21600 });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('reuses the task definition when the same revision is deployed again', async () => {
    const world = createFakeWorld();
    await run(world);
    const again = await run(world, { config: standardConfig({ rolloutId: 'rollout-2' }) });
    expect(again.status).toBe('promoted');
    expect(again.colours).toEqual({ stable: 'green', canary: 'blue' });
    expect(again.revision.taskDefinitionReused).toBe(true);
  });
});

describe('a bad canary', () => {
  it('with an error-rate regression is rolled back during the first bake, weights restored before scale-down', async () => {
    const world = createFakeWorld();
    world.metrics.behaviour.green = { ...world.metrics.behaviour.green, errorRate: 0.08 };
    const record = await run(world);

    expect(record.status).toBe('rolled-back');
    expect(record.reason).toMatch(/failed during the bake at 10%: .*error rate vs baseline: canary 8\.00% vs baseline 0\.1\d%/);
    expect(world.log.entries.slice(world.log.indexOf('router.setWeights blue=90 green=10') + 1)).toEqual([
      'state.write rollout-1 stepping 1',
      'router.setWeights blue=100 green=0',
      'state.write rollout-1 rolling-back 1',
      'fleet.scale green 0',
      'state.clear',
    ]);
    expect(world.router.maxWeight('green')).toBe(10);
    expect(record.weightsAfter).toEqual({ blue: 100, green: 0 });

    // Caught by an interval analysis, well before the 5-minute bake ends.
    const shiftedAt = at(record, record.steps[0]!.startedAt);
    expect(at(record, record.rollback!.weightsRestoredAt) - shiftedAt).toBeLessThanOrEqual(2 * MINUTE);
    expect(record.steps.at(-1)).toMatchObject({ kind: 'bake', verdict: 'fail' });
  });

  it('with a latency regression only is rolled back by the relative latency check', async () => {
    const world = createFakeWorld();
    world.metrics.behaviour.green = { errorRate: 0.001, latencyMs: { p50: 90, p95: 400, p99: 700 } };
    const record = await run(world);

    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('p95 latency vs baseline: canary 400 ms vs baseline 120 ms');
    const failed = record.steps
      .at(-1)!
      .checks!.filter((c) => c.verdict === 'fail')
      .map((c) => c.check);
    expect(failed).toEqual(['p95 latency vs baseline', 'p99 latency vs baseline']);
    expect(world.log.indexOf('router.setWeights blue=100 green=0')).toBeLessThan(world.log.indexOf('fleet.scale green 0'));
  });

  it('that turns bad at 50% is rolled back from 50%', async () => {
    const world = createFakeWorld();
    world.clock.after(14 * MINUTE, () => {
      world.metrics.behaviour.green = { ...world.metrics.behaviour.green, errorRate: 0.2 };
    });
    const record = await run(world);
    expect(record.status).toBe('rolled-back');
    expect(world.router.maxWeight('green')).toBe(50);
    expect(record.weightsAfter).toEqual({ blue: 100, green: 0 });
  });

  it('whose named alarm fires is rolled back', async () => {
    const world = createFakeWorld();
    world.metrics.alarms['svg-ai-target-5xx'] = 'OK';
    world.clock.after(2 * MINUTE, () => {
      world.metrics.alarms['svg-ai-target-5xx'] = 'ALARM';
    });
    const config = standardConfig();
    const record = await run(world, { config: { ...config, analysis: { ...config.analysis, alarms: ['svg-ai-target-5xx'] } } });
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('svg-ai-target-5xx is in ALARM');
  });

  it('serving a worse model is caught by a user metric while HTTP looks healthy', async () => {
    const world = createFakeWorld();
    world.metrics.userMetricValue = (_query, scope) => (scope.role === 'canary' ? 0.71 : 0.9);
    const config = standardConfig();
    const analysis = {
      ...config.analysis,
      userMetrics: [{ kind: 'relative', name: 'ssim', query: 'svgai quality ssim', better: 'higher', maxRatio: 1.05 } as const],
    };
    const record = await run(world, { config: { ...config, analysis } });
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('metric ssim: canary 0.71 vs baseline 0.9');
  });

  it('answering 5xx to the probe is caught before the load-balancer metrics are even published', async () => {
    const world = createFakeWorld();
    world.probe.respond = () => ({ status: 503, latencyMs: 4 });
    const config = standardConfig();
    const probe = { request: { count: 5, path: '/v1/convert', timeoutMs: 2000 }, expectedStatus: 200, maxLatencyMs: 1000, maxFailures: 0 };
    const record = await run(world, { config: { ...config, analysis: { ...config.analysis, probe } } });
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('probe: 5 of 5 bad');
    // The first interval analysis (30 s) caught it, while the metrics were still a minute behind.
    expect(at(record, record.rollback!.startedAt) - at(record, record.steps[0]!.startedAt)).toBe(30_000);
  });

  it('with a probe interval shorter than the analysis interval, is caught at the probe interval', async () => {
    const world = createFakeWorld();
    world.probe.respond = () => ({ status: 503, latencyMs: 4 });
    const config = standardConfig();
    const probe = {
      request: { count: 5, path: '/v1/convert', timeoutMs: 2000 },
      expectedStatus: 200,
      maxLatencyMs: 1000,
      maxFailures: 1,
      intervalMs: 2_000,
    };
    const record = await run(world, { config: { ...config, analysis: { ...config.analysis, probe } } });
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('probe: 5 of 5 bad');
    expect(at(record, record.rollback!.startedAt) - at(record, record.steps[0]!.startedAt)).toBe(2_000);
  });

  it('probes that pass between analyses do not count as analyses', async () => {
    const world = createFakeWorld();
    const config = standardConfig();
    const probe = {
      request: { count: 1, path: '/v1/convert', timeoutMs: 2000 },
      expectedStatus: 200,
      maxLatencyMs: 1000,
      maxFailures: 0,
      intervalMs: 5_000,
    };
    const record = await run(world, { config: { ...config, analysis: { ...config.analysis, probe } } });
    expect(record.status).toBe('promoted');
    const firstBake = record.steps.find((s) => s.kind === 'bake')!;
    // 4 minutes of bake before the gate: analyses every 30 s (none at its very end, which the gate judges).
    expect(firstBake.analyses).toBe(7);
    expect(world.probe.sent.length).toBeGreaterThan(40);
  });
});

describe('a revision whose tasks crash at start', () => {
  it('fails before any production traffic moves, naming the exit code', async () => {
    const world = createFakeWorld();
    world.fleet.crash = {
      taskId: '8f1c',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'svg-ai', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
    };
    const record = await run(world);

    expect(record.status).toBe('failed');
    expect(record.reason).toContain('task 8f1c: Essential container in task exited (svg-ai exit code 137: OutOfMemoryError');
    expect(world.router.maxWeight('green')).toBe(0);
    expect(world.log.matching('router.setWeights')).toEqual([]);
    expect(world.log.entries).toContain('fleet.scale green 0');
    expect(world.state.lock).toBeUndefined();
    expect(record.steps).toEqual([]);
  });

  it('fails when the new colour never becomes healthy within the timeout', async () => {
    const world = createFakeWorld();
    world.fleet.healthyAfterMs = Infinity;
    const record = await run(world);
    expect(record.status).toBe('failed');
    expect(record.reason).toBe(
      'green was not healthy within 5m: 3 of 3 tasks running, 0 healthy targets; check the target group health check',
    );
  });
});

describe('low traffic', () => {
  it('is inconclusive, extends the bake, then fails: never a pass', async () => {
    const world = createFakeWorld();
    world.metrics.requestsPerSecond = 0.2;
    const record = await run(world);

    expect(record.status).toBe('rolled-back');
    const gate = record.steps.at(-1)!;
    expect(gate).toMatchObject({ kind: 'analyse', canaryPercent: 10, verdict: 'fail', extensions: 2 });
    expect(gate.reason).toMatch(
      /^still inconclusive after 2 extensions: .*canary request evidence: \d+ canary requests, fewer than the 100 needed/,
    );
    expect(record.steps.some((s) => s.kind === 'analyse' && s.verdict === 'pass')).toBe(false);
    expect(world.logger.messages('warn').filter((m) => m.includes('baking 2m more'))).toHaveLength(2);
  });

  it('fails at once when the policy says so', async () => {
    const world = createFakeWorld();
    world.metrics.requestsPerSecond = 0.2;
    const record = await run(world, { plan: standardPlan({ onInconclusive: { action: 'fail' } }) });
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('inconclusive, and the policy fails on that');
  });

  it('passes once an extension gathers enough evidence', async () => {
    const world = createFakeWorld();
    world.metrics.requestsPerSecond = 2; // 0.2 rps on the canary: 60 requests in 5 min, 100 after 2 more
    const plan = canaryPlan({
      steps: [10],
      bakeMs: 5 * MINUTE,
      analysisIntervalMs: 0,
      keepOldWarmMs: 0,
      onInconclusive: { action: 'extend', maxExtensions: 3, extensionMs: 2 * MINUTE },
    });
    const record = await run(world, { plan });
    expect(record.status).toBe('promoted');
    expect(record.steps.find((s) => s.kind === 'analyse')).toMatchObject({ verdict: 'pass', extensions: 2 });
  });
});

describe('throttling', () => {
  it('during shifts is ridden out with back-off', async () => {
    const world = createFakeWorld();
    world.router.failNextWrites(4);
    world.clock.after(12 * MINUTE, () => world.router.failNextWrites(3));
    const record = await run(world);

    expect(record.status).toBe('promoted');
    expect(world.logger.messages('warn').filter((m) => m.includes('Throttling: Rate exceeded'))).toHaveLength(7);
  });

  it('that outlasts the retry policy rolls back', async () => {
    const world = createFakeWorld();
    world.router.failNextWrites(6);
    const record = await run(world);
    expect(record.status).toBe('failed');
    expect(record.reason).toContain('Throttling: Rate exceeded');
    expect(record.weightsAfter).toEqual({ blue: 100, green: 0 });
  });

  it('a final error from a port rolls back', async () => {
    const world = createFakeWorld();
    world.clock.after(MINUTE, () => world.router.failNextWrites(1, () => new Error('AccessDenied: elasticloadbalancing:ModifyListener')));
    const record = await run(world);
    // The first write after a minute is the 25% shift; the error is final, so it rolls back at once.
    expect(record.status).toBe('rolled-back');
    expect(record.reason).toContain('AccessDenied');
    expect(world.logger.messages('warn').some((m) => m.includes('AccessDenied') && m.includes('retrying'))).toBe(false);
  });
});

describe('weights that do not read back as set', () => {
  it('are written again, then the step fails naming the observed weights', async () => {
    const world = createFakeWorld();
    world.router.ignoreWrites = true;
    const record = await run(world);

    expect(record.status).toBe('failed');
    expect(record.reason).toContain('the listener reports blue=100 green=0 after 5 attempts to set blue=90 green=10');
    expect(world.log.matching('router.setWeights blue=90 green=10')).toHaveLength(5);
  });
});

describe('cancellation', () => {
  it('mid-bake leaves 100% on the stable colour and the canary scaled down', async () => {
    const world = createFakeWorld();
    const controller = new AbortController();
    world.clock.after(8 * MINUTE, () => controller.abort());
    const record = await run(world, { signal: controller.signal });

    expect(record.status).toBe('aborted');
    expect(record.reason).toBe('the job was cancelled');
    expect(record.weightsAfter).toEqual({ blue: 100, green: 0 });
    expect(world.log.entries.slice(-4)).toEqual([
      'router.setWeights blue=100 green=0',
      'state.write rollout-1 rolling-back 4',
      'fleet.scale green 0',
      'state.clear',
    ]);
    expect(record.steps.at(-1)).toMatchObject({ kind: 'bake', canaryPercent: 25, reason: 'the job was cancelled' });
  });

  it('while the new colour starts rolls back without moving traffic', async () => {
    const world = createFakeWorld();
    world.fleet.healthyAfterMs = MINUTE;
    const controller = new AbortController();
    world.clock.after(20_000, () => controller.abort());
    const record = await run(world, { signal: controller.signal });
    expect(record.status).toBe('aborted');
    expect(world.router.maxWeight('green')).toBe(0);
  });
});

describe('preflight', () => {
  it('refuses when the weights are not a clean 100/0, changing nothing', async () => {
    const world = createFakeWorld();
    world.router.force({ blue: 80, green: 20 });
    const record = await run(world);
    expect(record.status).toBe('refused');
    expect(record.reason).toBe(
      'the production weights are blue=80 green=20, not a clean 100/0: traffic is split, though no rollout is locked ' +
        '(changed by hand?); run with mode resume or abort',
    );
    expect(world.log.entries).toEqual([]);
  });

  it('refuses a rollout whose worst case exceeds the time budget', async () => {
    const world = createFakeWorld();
    const record = await run(world, { config: standardConfig({ timeBudgetMs: 30 * MINUTE }) });
    expect(record.status).toBe('refused');
    expect(record.reason).toBe(
      'the rollout could take up to 59m6s (deploy and health 5m, weight shifts 40s, bakes 25m, analysis gates 12m, ' +
        'inconclusive extensions 16m, rollback reserve 26s), more than the time budget of 30m; ' +
        'shorten the bakes or extensions, or raise the budget',
    );
    expect(world.log.entries).toEqual([]);
  });

  it('rolls back at the next step when the run falls so far behind that the budget is running out', async () => {
    const world = createFakeWorld();
    world.clock.after(8 * MINUTE, () => world.clock.advance(50 * MINUTE));
    const record = await run(world, { config: standardConfig({ timeBudgetMs: 60 * MINUTE }) });
    expect(record.status).toBe('rolled-back');
    expect(world.router.maxWeight('green')).toBe(50);
    expect(record.reason).toBe('the time budget of 1h is running out (keeping 26s to roll back)');
    expect(record.weightsAfter).toEqual({ blue: 100, green: 0 });
  });

  it('starts when the worst case fits the budget', async () => {
    const world = createFakeWorld();
    expect((await run(world, { config: standardConfig({ timeBudgetMs: 2 * 60 * MINUTE }) })).status).toBe('promoted');
  });

  it('refuses an invalid plan, naming the step', async () => {
    const world = createFakeWorld();
    const plan = { ...standardPlan(), steps: [{ kind: 'shift', canaryPercent: 120 } as const] };
    const record = await run(world, { plan });
    expect(record.status).toBe('refused');
    expect(record.reason).toContain('shift steps: 120 is not a whole percentage from 1 to 100');
  });

  it('refuses a minimum of zero requests, which would let a canary without traffic pass', async () => {
    const world = createFakeWorld();
    const config = standardConfig();
    const record = await run(world, { config: { ...config, analysis: { ...config.analysis, minRequests: 0 } } });
    expect(record.status).toBe('refused');
    expect(record.reason).toContain('analysis.minRequests is 0');
  });

  it('refuses a ratio to the baseline below 1, which would fail a canary better than its baseline', async () => {
    const world = createFakeWorld();
    const config = standardConfig();
    const analysis = { ...config.analysis, errorRate: { maxRatio: 0.5, absoluteFloor: 0.01 } };
    const record = await run(world, { config: { ...config, analysis } });
    expect(record.status).toBe('refused');
    expect(record.reason).toBe(
      'analysis.errorRate.maxRatio is 0.5; a ratio to the baseline must be 1 or more (1.5 allows 1.5 times the baseline)',
    );
    expect(world.log.entries).toEqual([]);
  });

  it('refuses a misspelt alarm name before any write, naming it', async () => {
    const world = createFakeWorld();
    world.metrics.alarms['svg-ai-5xx'] = 'OK';
    const config = standardConfig();
    const analysis = { ...config.analysis, alarms: ['svg-ai-5xx', 'svg-ai-5xxx'] };
    const record = await run(world, { config: { ...config, analysis } });
    expect(record.status).toBe('refused');
    expect(record.reason).toBe("no CloudWatch alarm is named 'svg-ai-5xxx' (input 'alarms'); check the spelling and the region");
    expect(world.log.entries).toEqual([]);
    expect(world.state.lock).toBeUndefined();
  });

  it('refuses a metric check whose metric has no data on the live colour, unless it allows no data', async () => {
    const world = createFakeWorld();
    const config = standardConfig();
    const check = { kind: 'threshold', name: 'quality', query: 'q', min: 0.8 } as const;
    const refused = await run(world, { config: { ...config, analysis: { ...config.analysis, userMetrics: [check] } } });
    expect(refused.status).toBe('refused');
    expect(refused.reason).toBe(
      "metric check 'quality' (input 'metric-checks') has no data on the live colour in the last hour; check its namespace, " +
        'metric name and dimensions, or set allow-no-data if the new revision publishes it first',
    );
    expect(world.log.entries).toEqual([]);

    const asked: string[] = [];
    world.metrics.userMetricValue = (_query, scope) => {
      asked.push(`${scope.role} ${scope.colour}`);
      return 0.9;
    };
    const started = await run(world, { config: { ...config, analysis: { ...config.analysis, userMetrics: [check] } } });
    expect(started.status).toBe('promoted');
    expect(asked[0]).toBe('baseline blue');
  });

  it('lets a metric check that allows no data start without data', async () => {
    const world = createFakeWorld();
    const config = standardConfig();
    world.metrics.userMetricValue = (_query, _scope, window) => (window.start > world.clock.now() - 30 * MINUTE ? 0.9 : undefined);
    const check = { kind: 'threshold', name: 'quality', query: 'q', min: 0.8, allowNoData: true } as const;
    const record = await run(world, { config: { ...config, analysis: { ...config.analysis, userMetrics: [check] } } });
    expect(record.status).not.toBe('refused');
  });

  it('refuses a smoke step without smoke checks configured', async () => {
    const world = createFakeWorld();
    const record = await run(world, { plan: standardPlan({ smoke: true }) });
    expect(record.status).toBe('refused');
    expect(record.reason).toContain('the plan has a smoke step but no smoke checks are configured');
  });
});
