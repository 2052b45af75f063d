/**
 * What each threshold input means, from the outside: from its INPUT_* text, through the DeploySpec the
 * engine receives, to the verdict that spec gives on recorded metrics, at the edges of every threshold.
 */
import { describe, expect, it } from '@jest/globals';
import { evaluateStage, type StageObservation, type TrafficStats, type Verdict } from '@svg-ai-release/rollout';
import { readCanaryInputs } from '../src/inputs.js';
import { canarySpec } from '../src/spec.js';
import { TEST_LISTENER, VALID_INPUTS } from './fixtures.js';

function specFor(overrides: Record<string, string>) {
  const inputs: Record<string, string> = { ...VALID_INPUTS, ...overrides };
  return canarySpec(readCanaryInputs((name) => inputs[name] ?? ''));
}

const stats = (requests: number, errors: number, p95: number, p99 = p95): TrafficStats => ({
  requests,
  http5xx: errors,
  http4xx: 0,
  latencyMs: { p50: p95 / 2, p95, p99 },
  unhealthyHosts: 0,
});

function verdictOf(
  overrides: Record<string, string>,
  canary: TrafficStats,
  baseline: TrafficStats | undefined,
  metric?: { canary: number; baseline: number },
): Verdict {
  const spec = specFor(overrides);
  const observation: StageObservation = {
    canaryPercent: 10,
    window: { start: 0, end: 300_000 },
    canary,
    baseline,
    alarms: [],
    userMetrics: (spec.analysis.userMetrics ?? []).map((check) => ({
      check,
      values: metric ?? { canary: undefined, baseline: undefined },
    })),
    probe: undefined,
  };
  return evaluateStage(observation, spec.analysis).verdict;
}

// Thresholds not under test are opened wide, so that each row is decided by the one it names.
const ONLY_RATIO = { 'max-error-rate': '1' };
const QUALITY_CHECK = JSON.stringify([
  {
    name: 'convert-ms',
    namespace: 'SVGAI',
    'metric-name': 'ConvertLatency',
    stat: 'Average',
    'canary-dimensions': { ModelVersion: '2' },
    'baseline-dimensions': { ModelVersion: '1' },
    'max-rise-ratio': 1.2,
  },
]);

describe('from INPUT_* text to the spec the engine receives', () => {
  it('turns the defaults into the documented ratios, floors and plan', () => {
    const spec = specFor({});
    expect(spec.analysis.errorRate).toEqual({ maxRatio: 1.5, absoluteFloor: 1 / 50 });
    expect(spec.analysis.latency).toEqual({ percentiles: ['p95', 'p99'], maxRatio: 1.3, absoluteFloorMs: 25 });
    expect(spec.analysis.slo).toEqual({ max5xxRate: 0.01 });
    expect(spec.analysis.minRequests).toBe(50);
    expect(spec.analysis).toMatchObject({ periodMs: 60_000, publicationDelayMs: 180_000 });
    expect(spec.plan.steps.filter((s) => s.kind === 'shift').map((s) => s.canaryPercent)).toEqual([10, 25, 50, 100]);
    expect(spec.plan.steps.filter((s) => s.kind === 'bake').map((s) => s.durationMs)).toEqual([300_000, 300_000, 300_000, 900_000]);
    expect(spec.plan.onInconclusive).toEqual({ action: 'extend', maxExtensions: 2, extensionMs: 300_000 });
    expect(spec).toMatchObject({ mode: 'deploy', takeOver: false, timeBudgetMs: 5 * 3_600_000, healthTimeoutMs: 600_000 });
  });

  it('passes given texts through exactly', () => {
    const spec = specFor({
      'error-rate-tolerance': '1',
      'latency-tolerance': '2.5',
      'min-requests': '200',
      'max-p95-latency': '750ms',
      'max-p99-latency': '2s',
      steps: '5,20,100',
      'bake-time': '2m',
      'keep-old-for': '0',
      'inconclusive-policy': 'fail',
      'test-listener-arn': TEST_LISTENER,
      'probe-path': '/ready',
      'probe-requests': '7',
      'probe-max-latency': '300ms',
      'probe-interval': '500ms',
    });
    expect(spec.analysis.errorRate).toEqual({ maxRatio: 1, absoluteFloor: 1 / 200 });
    expect(spec.analysis.latency?.maxRatio).toBe(2.5);
    expect(spec.analysis.slo).toEqual({ max5xxRate: 0.01, maxP95Ms: 750, maxP99Ms: 2000 });
    expect(spec.plan.steps.map((s) => s.kind)).toEqual(['smoke', 'shift', 'bake', 'analyse', 'shift', 'bake', 'analyse', 'shift']);
    expect(spec.plan.onInconclusive).toEqual({ action: 'fail' });
    expect(spec.analysis.probe).toEqual({
      request: { count: 7, path: '/ready', timeoutMs: 600 },
      expectedStatus: 200,
      maxLatencyMs: 300,
      maxFailures: 1,
      intervalMs: 500,
    });
  });
});

describe('from the spec to a verdict, at the edges of every threshold', () => {
  it.each<[string, Record<string, string>, TrafficStats, TrafficStats | undefined, Verdict]>([
    // error-rate-tolerance: the canary may err at most N times as often as the baseline.
    ['default 1.5: 15% against 10% passes', ONLY_RATIO, stats(1000, 150, 100), stats(9000, 900, 100), 'pass'],
    ['default 1.5: 15.1% against 10% fails', ONLY_RATIO, stats(1000, 151, 100), stats(9000, 900, 100), 'fail'],
    ['default 1.5: 2× the baseline fails', ONLY_RATIO, stats(1000, 200, 100), stats(9000, 900, 100), 'fail'],
    ['default 1.5: 1.2× the baseline passes', ONLY_RATIO, stats(1000, 120, 100), stats(9000, 900, 100), 'pass'],
    ['1: equal rates pass', { ...ONLY_RATIO, 'error-rate-tolerance': '1' }, stats(1000, 100, 100), stats(9000, 900, 100), 'pass'],
    [
      '1: within the floor above equal passes',
      { ...ONLY_RATIO, 'error-rate-tolerance': '1' },
      stats(1000, 120, 100),
      stats(9000, 900, 100),
      'pass',
    ],
    [
      '1 with a floor of 0.1% (min-requests 1000): 10.2% against 10% fails',
      { ...ONLY_RATIO, 'error-rate-tolerance': '1', 'min-requests': '1000' },
      stats(1000, 102, 100),
      stats(9000, 900, 100),
      'fail',
    ],
    // The floor, one error per min-requests above the baseline, decides at low rates.
    ['floor: 2% over a 0% baseline passes (1 error per 50)', ONLY_RATIO, stats(1000, 20, 100), stats(9000, 0, 100), 'pass'],
    ['floor: 2.1% over a 0% baseline fails', ONLY_RATIO, stats(1000, 21, 100), stats(9000, 0, 100), 'fail'],
    [
      'floor: min-requests 100 halves it: 1.1% fails',
      { ...ONLY_RATIO, 'min-requests': '100' },
      stats(1000, 11, 100),
      stats(9000, 0, 100),
      'fail',
    ],
    // max-error-rate: an absolute ceiling, whatever the baseline.
    ['max-error-rate 0.05: 5% passes', { 'max-error-rate': '0.05' }, stats(1000, 50, 100), stats(9000, 450, 100), 'pass'],
    ['max-error-rate 0.05: 5.1% fails', { 'max-error-rate': '0.05' }, stats(1000, 51, 100), stats(9000, 450, 100), 'fail'],
    // latency-tolerance: the canary's p95/p99 may be at most N times the baseline's (differences of 25 ms never fail).
    ['latency 1.3: 260 ms against 200 ms passes', {}, stats(1000, 0, 260), stats(9000, 0, 200), 'pass'],
    ['latency 1.3: 261 ms against 200 ms fails', {}, stats(1000, 0, 261), stats(9000, 0, 200), 'fail'],
    ['latency 1.3: 2× the baseline p95 fails', {}, stats(1000, 0, 400), stats(9000, 0, 200), 'fail'],
    ['latency 1.3: 1.2× the baseline p95 passes', {}, stats(1000, 0, 240), stats(9000, 0, 200), 'pass'],
    ['latency floor: 75 ms against 50 ms passes', {}, stats(1000, 0, 75), stats(9000, 0, 50), 'pass'],
    ['latency floor: 76 ms against 50 ms fails', {}, stats(1000, 0, 76), stats(9000, 0, 50), 'fail'],
    // max-p95-latency: an absolute ceiling.
    [
      'max-p95-latency 500ms: 500 ms passes',
      { 'max-p95-latency': '500ms', 'latency-tolerance': '100' },
      stats(1000, 0, 500, 500),
      stats(9000, 0, 100),
      'pass',
    ],
    [
      'max-p95-latency 500ms: 501 ms fails',
      { 'max-p95-latency': '500ms', 'latency-tolerance': '100' },
      stats(1000, 0, 501, 501),
      stats(9000, 0, 100),
      'fail',
    ],
    // min-requests: fewer canary requests is inconclusive, never a pass.
    ['min-requests 50: 49 requests is inconclusive', {}, stats(49, 0, 100), stats(9000, 0, 100), 'inconclusive'],
    ['min-requests 50: 50 requests is judged', {}, stats(50, 0, 100), stats(9000, 0, 100), 'pass'],
  ])('%s', (_name, overrides, canary, baseline, verdict) => {
    expect(verdictOf(overrides, canary, baseline)).toBe(verdict);
  });

  it.each<[string, number, Verdict]>([
    ['at 1.2× the baseline passes', 120, 'pass'],
    ['above 1.2× the baseline fails', 121, 'fail'],
  ])('metric-checks max-rise-ratio 1.2: %s', (_name, canary, verdict) => {
    const healthy = stats(1000, 0, 100);
    expect(verdictOf({ 'metric-checks': QUALITY_CHECK }, healthy, stats(9000, 0, 100), { canary, baseline: 100 })).toBe(verdict);
  });
});
