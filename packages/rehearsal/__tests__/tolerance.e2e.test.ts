/**
 * What the canary's tolerances mean, end to end: the committed bundle with its DEFAULT tolerances
 * (`error-rate-tolerance` 1.5, `latency-tolerance` 1.3: the canary may be at most that many times the
 * baseline), real client traffic through the stand-in's listener, and faults that make the canary exactly
 * 2× or 1.2× the baseline. The errors are deterministic (every n-th request of an image), so the rates the
 * metrics show are known to within one request per window; the SLO is set out of the way and `min-requests`
 * high enough that the noise floor (one error per `min-requests`) is below the ratio's limit: the ratio decides.
 */
import { describe, expect, it } from '@jest/globals';
import type { FaultConfig } from '@svg-ai-release/aws-local';
import { runScenario, type ScenarioResult } from '../src/index.js';

const BASELINE = 'svg-ai:stable';
/** The release is deployed by digest; the stable side runs by tag. */
const CANARY = 'svg-ai@*';

/** The default tolerances (empty inputs read as action.yml's defaults), the SLO out of the way, a floor of 0.5%. */
const JUDGED_BY_RATIO = {
  'error-rate-tolerance': '',
  'latency-tolerance': '',
  'max-error-rate': '0.9',
  'min-requests': '200',
  steps: '50,100',
  'bake-time': '6s',
  'smoke-requests': '0',
  'probe-path': '',
};

async function release(faults: FaultConfig): Promise<ScenarioResult> {
  return runScenario({
    strategy: 'canary',
    fault: 'none',
    app: 'release-app',
    rate: 100,
    inputs: JUDGED_BY_RATIO,
    beforeRelease: (world) => world.local.admin.injectFaults(faults),
  });
}

function analysedAt50(result: ScenarioResult) {
  const judged = result.record?.steps.filter((s) => s.canaryPercent === 50 && s.canary && s.baseline) ?? [];
  expect(judged.length).toBeGreaterThan(0);
  return judged.at(-1)!;
}

describe('error-rate-tolerance at its default (1.5)', () => {
  it('rolls back a canary that errs twice as often as the baseline, on the ratio', async () => {
    // Baseline: every 12th request fails (8.3%); canary: every 6th (16.7%).
    const result = await release({
      tasks: [
        { image: BASELINE, errorEvery: 12 },
        { image: CANARY, errorEvery: 6 },
      ],
    });
    expect(result.record?.status).toBe('rolled-back');
    const match =
      /^failed (?:during the bake|the analysis) at 50%: error rate vs baseline: canary ([\d.]+)% vs baseline ([\d.]+)% \(limit ([\d.]+)%\): the canary errs more than the baseline$/.exec(
        result.record?.reason ?? '',
      );
    expect(match).not.toBeNull();
    const [canary, baseline, limit] = [Number(match![1]), Number(match![2]), Number(match![3])];
    expect(canary / baseline).toBeGreaterThan(1.8);
    expect(canary / baseline).toBeLessThan(2.2);
    // The ratio, not the floor (baseline + 0.5 point), set the limit.
    expect(limit).toBeCloseTo(baseline * 1.5, 1);
    expect(result.finalWeights).toEqual({ blue: 100, green: 0 });
    expect(result.release.main.exitCode).toBe(1);
  });

  it('promotes a canary that errs 1.2× as often as the baseline', async () => {
    // Baseline: every 12th request fails (8.3%); canary: every 10th (10%).
    const result = await release({
      tasks: [
        { image: BASELINE, errorEvery: 12 },
        { image: CANARY, errorEvery: 10 },
      ],
    });
    expect(result.record?.status).toBe('promoted');
    const step = analysedAt50(result);
    expect(step.verdict).toBe('pass');
    expect(step.baseline!.errorRate!).toBeGreaterThan(0.07);
    expect(step.canary!.errorRate! / step.baseline!.errorRate!).toBeGreaterThan(1.05);
    expect(step.canary!.errorRate! / step.baseline!.errorRate!).toBeLessThan(1.35);
    expect(result.finalWeights).toEqual({ blue: 0, green: 100 });
    expect(result.release.main.exitCode).toBe(0);
  });
});

describe('latency-tolerance at its default (1.3)', () => {
  it('rolls back a canary twice as slow as the baseline, on the ratio', async () => {
    const result = await release({
      tasks: [
        { image: BASELINE, delayMs: 400 },
        { image: CANARY, delayMs: 800 },
      ],
    });
    expect(result.record?.status).toBe('rolled-back');
    // p95, p99 or both fail; each failing check says the same thing in its own figures.
    expect(result.record?.reason).toMatch(/^failed (?:during the bake|the analysis) at 50%: p9[59] latency vs baseline/);
    const failures = (result.record?.reason ?? '').replace(/^failed (?:during the bake|the analysis) at 50%: /, '').split('; ');
    for (const failure of failures) {
      const match =
        /^(p95|p99) latency vs baseline: canary (\d+) ms vs baseline (\d+) ms \(limit (\d+) ms\): the canary is slower than the baseline$/.exec(
          failure,
        );
      expect(match).not.toBeNull();
      const [canary, baseline, limit] = [Number(match![2]), Number(match![3]), Number(match![4])];
      expect(baseline).toBeGreaterThanOrEqual(400);
      expect(canary).toBeGreaterThanOrEqual(800);
      // The message rounds both figures to the millisecond: at most 0.5 + 1.3 × 0.5 ms apart.
      expect(Math.abs(limit - baseline * 1.3)).toBeLessThanOrEqual(1.15 + 1e-9);
    }
    // No client-failure count here: the fast world drains a target in 0.5 s, shorter than these 800 ms requests.
    expect(result.finalWeights).toEqual({ blue: 100, green: 0 });
  });

  it('promotes a canary 1.2× as slow as the baseline', async () => {
    const result = await release({
      tasks: [
        { image: BASELINE, delayMs: 400 },
        { image: CANARY, delayMs: 480 },
      ],
    });
    expect(result.record?.status).toBe('promoted');
    const step = analysedAt50(result);
    expect(step.verdict).toBe('pass');
    expect(step.baseline!.p95Ms!).toBeGreaterThanOrEqual(400);
    expect(step.canary!.p95Ms!).toBeGreaterThanOrEqual(480);
    // No client-failure count: the fast world drains a target in 0.5 s, about as long as these requests take.
    expect(result.finalWeights).toEqual({ blue: 0, green: 100 });
  });
});
