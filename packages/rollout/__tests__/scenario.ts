import { canaryPlan, runRollout, type RolloutConfig, type RolloutMode, type RolloutPlan } from '../src/index.js';
import { createFakeWorld, type FakeWorld } from '../src/testing/index.js';

export const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/svg-ai@sha256:${'b'.repeat(64)}`;
export const MINUTE = 60_000;

/** Ten percent, a quarter, half, then all: five-minute bakes judged every 30 s, ten minutes kept warm. */
export function standardPlan(overrides: Partial<Parameters<typeof canaryPlan>[0]> = {}): RolloutPlan {
  return canaryPlan({
    steps: [10, 25, 50, 100],
    bakeMs: 5 * MINUTE,
    analysisIntervalMs: 30_000,
    keepOldWarmMs: 10 * MINUTE,
    onInconclusive: { action: 'extend', maxExtensions: 2, extensionMs: 2 * MINUTE },
    ...overrides,
  });
}

export function standardConfig(overrides: Partial<RolloutConfig> = {}): RolloutConfig {
  return {
    rolloutId: 'rollout-1',
    owner: 'run 1 attempt 1',
    runUrl: 'https://github.com/o/r/actions/runs/1',
    revision: { image: IMAGE, modelVersion: '1.4.0' },
    analysis: {
      publicationDelayMs: MINUTE,
      periodMs: 0,
      minRequests: 100,
      errorRate: { maxRatio: 1.5, absoluteFloor: 0.01 },
      latency: { percentiles: ['p95', 'p99'], maxRatio: 1.25, absoluteFloorMs: 20 },
      slo: { max5xxRate: 0.05, maxP99Ms: 2_000 },
      maxUnhealthyHosts: 0,
    },
    health: { timeoutMs: 5 * MINUTE, pollIntervalMs: 5_000 },
    ...overrides,
  };
}

export function run(
  world: FakeWorld,
  options: { plan?: RolloutPlan; config?: RolloutConfig; mode?: RolloutMode; signal?: AbortSignal } = {},
) {
  return runRollout({
    plan: options.plan ?? standardPlan(),
    ports: world.ports,
    config: options.config ?? standardConfig(),
    mode: options.mode ?? 'deploy',
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export { createFakeWorld };
