import { describe, expect, it } from '@jest/globals';
import {
  combineVerdicts,
  evaluateStage,
  judgeAlarms,
  judgeErrorRate,
  judgeErrorRateSlo,
  judgeEvidence,
  judgeLatency,
  judgeLatencySlo,
  judgeProbe,
  judgeUnhealthyHosts,
  judgeUserMetric,
  judgeVersion,
  metricWindow,
  publicationWaitMs,
  type AnalysisConfig,
  type CheckResult,
  type StageObservation,
  type TrafficStats,
  type UserMetricCheck,
  type Verdict,
} from '../src/index.js';

const tolerances = { maxRatio: 1.5, absoluteFloor: 0.01, minRequests: 100 };

describe('judgeErrorRate', () => {
  it.each<[string, number | undefined, number | undefined, number | undefined, number | undefined, Verdict]>([
    ['equal rates pass', 1000, 5, 9000, 45, 'pass'],
    ['0 vs 0.1% is not a fail by ratio alone: the absolute floor holds', 1000, 1, 9000, 0, 'pass'],
    ['5% vs 0.1% fails: past both the ratio and the floor', 1000, 50, 9000, 9, 'fail'],
    ['just above the floor fails', 1000, 13, 9000, 9, 'fail'],
    ['past the floor but within the ratio passes (busy baseline)', 1000, 140, 9000, 900, 'pass'],
    ['past the ratio on a high baseline fails', 1000, 200, 9000, 900, 'fail'],
    ['too few canary requests is inconclusive, never a pass', 50, 0, 9000, 9, 'inconclusive'],
    ['too few baseline requests is inconclusive', 1000, 1, 20, 0, 'inconclusive'],
    ['no canary data points is inconclusive, not zero', undefined, undefined, 9000, 9, 'inconclusive'],
    ['no 5xx data with requests present is inconclusive', 1000, undefined, 9000, 9, 'inconclusive'],
    // The ratio is the canary's rate over the baseline's: 1.5 allows exactly 1.5 times, not 2.5 times.
    ['at exactly 1.5× a busy baseline (15% vs 10%) passes', 1000, 150, 9000, 900, 'pass'],
    ['just above 1.5× a busy baseline (15.1% vs 10%) fails', 1000, 151, 9000, 900, 'fail'],
    ['2× a busy baseline (20% vs 10%) fails', 1000, 200, 9000, 900, 'fail'],
    ['at exactly the floor (1.1% vs 0.1%) passes', 1000, 11, 9000, 9, 'pass'],
    ['one error above the floor (1.2% vs 0.1%) fails', 1000, 12, 9000, 9, 'fail'],
  ])('%s', (_name, canaryRequests, canaryErrors, baselineRequests, baselineErrors, verdict) => {
    const result = judgeErrorRate({
      canary: { requests: canaryRequests, errors: canaryErrors },
      baseline: { requests: baselineRequests, errors: baselineErrors },
      ...tolerances,
    });
    expect(result.verdict).toBe(verdict);
  });

  it('names both rates and the limit in its reason', () => {
    const result = judgeErrorRate({ canary: { requests: 1000, errors: 50 }, baseline: { requests: 9000, errors: 9 }, ...tolerances });
    expect(result.reason).toBe('canary 5.00% vs baseline 0.10% (limit 1.10%): the canary errs more than the baseline');
    expect(result.figures).toMatchObject({ canaryRate: 0.05, baselineRate: 0.001 });
  });
});

describe('judgeLatency', () => {
  const base = {
    percentile: 'p95' as const,
    canaryRequests: 1000,
    baselineRequests: 9000,
    maxRatio: 1.25,
    absoluteFloorMs: 20,
    minRequests: 100,
  };
  it.each<[string, number | undefined, number | undefined, Verdict]>([
    ['same latency passes', 120, 120, 'pass'],
    ['within the relative tolerance passes', 145, 120, 'pass'],
    ['past the relative tolerance fails', 200, 120, 'fail'],
    ['a few ms over a tiny baseline is noise under the absolute floor', 12, 4, 'pass'],
    ['a faster canary passes', 60, 120, 'pass'],
    ['at exactly 1.25× the baseline passes', 150, 120, 'pass'],
    ['1 ms above 1.25× the baseline fails', 151, 120, 'fail'],
    ['at exactly the absolute floor above a tiny baseline passes', 24, 4, 'pass'],
    ['1 ms above the absolute floor fails', 25, 4, 'fail'],
    ['no canary percentile is inconclusive', undefined, 120, 'inconclusive'],
    ['no baseline percentile is inconclusive', 120, undefined, 'inconclusive'],
  ])('%s', (_name, canaryMs, baselineMs, verdict) => {
    expect(judgeLatency({ ...base, canaryMs, baselineMs }).verdict).toBe(verdict);
  });

  it('is inconclusive on too few requests, however slow', () => {
    expect(judgeLatency({ ...base, canaryMs: 5000, baselineMs: 100, canaryRequests: 10 }).verdict).toBe('inconclusive');
  });
});

describe('absolute SLOs', () => {
  it.each<[string, number | undefined, number | undefined, Verdict]>([
    ['5xx rate under the SLO passes', 1000, 10, 'pass'],
    ['5xx rate at the SLO passes', 1000, 50, 'pass'],
    ['5xx rate over the SLO fails', 1000, 51, 'fail'],
    ['too few requests is inconclusive', 99, 99, 'inconclusive'],
    ['no data is inconclusive', undefined, undefined, 'inconclusive'],
  ])('%s', (_name, requests, errors, verdict) => {
    expect(judgeErrorRateSlo({ requests, errors, maxRate: 0.05, minRequests: 100 }).verdict).toBe(verdict);
  });

  it.each<[string, number | undefined, Verdict]>([
    ['p99 under the SLO passes', 900, 'pass'],
    ['p99 over the SLO fails', 2500, 'fail'],
    ['no p99 data is inconclusive', undefined, 'inconclusive'],
  ])('%s', (_name, valueMs, verdict) => {
    expect(judgeLatencySlo({ percentile: 'p99', valueMs, maxMs: 2000, requests: 1000, minRequests: 100 }).verdict).toBe(verdict);
  });
});

describe('judgeUnhealthyHosts', () => {
  it.each<[string, number | undefined, number, Verdict]>([
    ['no unhealthy hosts passes', 0, 0, 'pass'],
    ['one unhealthy host when none are allowed fails', 1, 0, 'fail'],
    ['within the allowance passes', 1, 1, 'pass'],
    ['no data is inconclusive', undefined, 0, 'inconclusive'],
  ])('%s', (_name, unhealthyHosts, maxUnhealthy, verdict) => {
    expect(judgeUnhealthyHosts({ unhealthyHosts, maxUnhealthy }).verdict).toBe(verdict);
  });
});

describe('judgeAlarms', () => {
  it.each<[string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | undefined, Verdict]>([
    ['an OK alarm passes', 'OK', 'pass'],
    ['an alarm in ALARM fails', 'ALARM', 'fail'],
    ['insufficient data passes: the alarm decides what silence means', 'INSUFFICIENT_DATA', 'pass'],
    ['an alarm that does not exist fails, so a typo cannot disable the check', undefined, 'fail'],
  ])('%s', (_name, state, verdict) => {
    const [result] = judgeAlarms(['svg-ai-5xx'], [{ name: 'svg-ai-5xx', state }]);
    expect(result?.verdict).toBe(verdict);
  });

  it('gives one result per named alarm', () => {
    const results = judgeAlarms(
      ['a', 'b'],
      [
        { name: 'a', state: 'OK' },
        { name: 'b', state: 'ALARM' },
      ],
    );
    expect(results.map((r) => [r.check, r.verdict])).toEqual([
      ['alarm a', 'pass'],
      ['alarm b', 'fail'],
    ]);
  });
});

describe('judgeEvidence', () => {
  it.each<[string, number | undefined, Verdict]>([
    ['enough requests passes', 100, 'pass'],
    ['too few requests is inconclusive, never a pass', 99, 'inconclusive'],
    ['zero requests is inconclusive', 0, 'inconclusive'],
    ['no data points is inconclusive', undefined, 'inconclusive'],
  ])('%s', (_name, requests, verdict) => {
    expect(judgeEvidence({ side: 'canary', requests, minRequests: 100 }).verdict).toBe(verdict);
  });
});

describe('judgeUserMetric', () => {
  const quality: UserMetricCheck = { kind: 'relative', name: 'ssim', query: 'q', better: 'higher', maxRatio: 1.05 };
  const latency: UserMetricCheck = {
    kind: 'relative',
    name: 'convert-ms',
    query: 'q',
    better: 'lower',
    maxRatio: 1.1,
    absoluteFloor: 5,
  };
  const threshold: UserMetricCheck = { kind: 'threshold', name: 'ssim', query: 'q', min: 0.8 };
  const band: UserMetricCheck = { kind: 'threshold', name: 'queue', query: 'q', min: 1, max: 10 };
  it.each<[string, UserMetricCheck, number | undefined, number | undefined, Verdict]>([
    ['a threshold met passes', threshold, 0.85, undefined, 'pass'],
    ['below the minimum fails', threshold, 0.7, undefined, 'fail'],
    ['above the maximum fails', band, 11, undefined, 'fail'],
    ['inside a band passes', band, 5, undefined, 'pass'],
    ['a missing canary value is inconclusive, not zero', threshold, undefined, undefined, 'inconclusive'],
    ['higher-is-better within tolerance passes', quality, 0.9, 0.92, 'pass'],
    ['a worse model (lower quality) fails even when HTTP looks healthy', quality, 0.8, 0.92, 'fail'],
    ['lower-is-better: slower within the floor passes', latency, 34, 30, 'pass'],
    ['lower-is-better: much slower fails', latency, 60, 30, 'fail'],
    ['a missing baseline value is inconclusive', quality, 0.9, undefined, 'inconclusive'],
    ['higher-is-better at exactly baseline / ratio passes', { ...quality, maxRatio: 2 }, 0.4, 0.8, 'pass'],
    ['higher-is-better just below baseline / ratio fails', { ...quality, maxRatio: 2 }, 0.39, 0.8, 'fail'],
    ['lower-is-better at exactly ratio × baseline passes', { ...latency, maxRatio: 2 }, 60, 30, 'pass'],
    ['lower-is-better just above ratio × baseline fails', { ...latency, maxRatio: 2 }, 61, 30, 'fail'],
  ])('%s', (_name, check, canary, baseline, verdict) => {
    expect(judgeUserMetric(check, { canary, baseline }).verdict).toBe(verdict);
  });
});

describe('judgeProbe', () => {
  const expectation = { expectedStatus: 200, maxLatencyMs: 500, maxFailures: 0 };
  const ok = { status: 200, latencyMs: 30 };
  it.each<[string, { status: number | undefined; latencyMs: number; error?: string }[], Verdict]>([
    ['all good responses pass', [ok, ok, ok], 'pass'],
    ['a 503 fails', [ok, { status: 503, latencyMs: 10 }], 'fail'],
    ['no response at all fails', [ok, { status: undefined, latencyMs: 1000, error: 'ECONNREFUSED' }], 'fail'],
    ['a slow response fails', [ok, { status: 200, latencyMs: 900 }], 'fail'],
    ['no responses is inconclusive', [], 'inconclusive'],
  ])('%s', (_name, responses, verdict) => {
    expect(judgeProbe(responses, expectation).verdict).toBe(verdict);
  });

  it('tolerates the failures it is told to', () => {
    expect(judgeProbe([ok, { status: 502, latencyMs: 5 }], { ...expectation, maxFailures: 1 }).verdict).toBe('pass');
  });

  it('names an example failure', () => {
    const result = judgeProbe([{ status: undefined, latencyMs: 5, error: 'ECONNRESET' }], expectation);
    expect(result.reason).toContain('no response (ECONNRESET)');
  });
});

describe('judgeVersion', () => {
  const digest = `sha256:${'c'.repeat(64)}`;
  const expected = { image: `repo/svg-ai@${digest}`, modelVersion: '1.4.0' };
  it.each<[string, number | undefined, string, Verdict]>([
    ['reports both by any field name', 200, JSON.stringify({ image: digest, model: { version: '1.4.0' } }), 'pass'],
    ['reports the full image reference', 200, JSON.stringify({ image: expected.image, models: ['1.4.0'] }), 'pass'],
    ['reports an older model', 200, JSON.stringify({ image: digest, model: '1.3.9' }), 'fail'],
    ['reports another image', 200, JSON.stringify({ image: 'sha256:dead', model: '1.4.0' }), 'fail'],
    ['answers 500', 500, '{}', 'fail'],
    ['answers something that is not JSON', 200, '<html>', 'fail'],
  ])('%s', (_name, status, body, verdict) => {
    expect(judgeVersion({ status, body }, expected).verdict).toBe(verdict);
  });
});

describe('combineVerdicts', () => {
  const check = (verdict: Verdict): CheckResult => ({ check: verdict, verdict, reason: `was ${verdict}`, figures: {} });
  it.each<[string, Verdict[], Verdict]>([
    ['all pass passes', ['pass', 'pass'], 'pass'],
    ['any fail fails, even beside inconclusive', ['pass', 'inconclusive', 'fail'], 'fail'],
    ['inconclusive without fail is inconclusive', ['pass', 'inconclusive'], 'inconclusive'],
    ['no checks at all is no evidence', [], 'inconclusive'],
  ])('%s', (_name, verdicts, verdict) => {
    const combined = combineVerdicts(verdicts.map(check));
    expect(combined.verdict).toBe(verdict);
    expect(combined.checks).toHaveLength(verdicts.length);
  });

  it('keeps the reasons of the checks that decided', () => {
    expect(combineVerdicts([check('pass'), check('fail')]).reason).toBe('fail: was fail');
  });
});

describe('metricWindow', () => {
  const minute = 60_000;
  it.each<
    [
      string,
      { since: number; until: number; now: number; publicationDelayMs: number; periodMs: number },
      { start: number; end: number } | undefined,
    ]
  >([
    [
      'ends at now minus the publication delay',
      { since: 0, until: 10 * minute, now: 10 * minute, publicationDelayMs: 2 * minute, periodMs: 0 },
      { start: 0, end: 8 * minute },
    ],
    [
      'ends at until when that is already published',
      { since: 0, until: 5 * minute, now: 10 * minute, publicationDelayMs: minute, periodMs: 0 },
      { start: 0, end: 5 * minute },
    ],
    [
      'is undefined while nothing is published yet: no data, not zero',
      { since: 0, until: minute, now: minute, publicationDelayMs: 2 * minute, periodMs: 0 },
      undefined,
    ],
    [
      'keeps whole periods only, so no period mixes traffic from before the shift',
      { since: 30_000, until: 5 * minute, now: 10 * minute, publicationDelayMs: 0, periodMs: minute },
      { start: minute, end: 5 * minute },
    ],
    [
      'is undefined when no whole period fits',
      { since: 30_000, until: 100_000, now: 10 * minute, publicationDelayMs: 0, periodMs: minute },
      undefined,
    ],
  ])('%s', (_name, input, expected) => {
    expect(metricWindow(input)).toEqual(expected);
  });

  it.each<[string, number, number]>([
    ['waits for the delay after the end of the window', 0, 60_000],
    ['does not wait once published', 90_000, 0],
  ])('publicationWaitMs %s', (_name, now, wait) => {
    expect(publicationWaitMs({ until: 0, now, publicationDelayMs: 60_000 })).toBe(wait);
  });
});

describe('evaluateStage', () => {
  const stats = (requests: number, errors: number, p95: number): TrafficStats => ({
    requests,
    http5xx: errors,
    http4xx: 0,
    latencyMs: { p50: p95 / 3, p95, p99: p95 * 1.5 },
    unhealthyHosts: 0,
  });
  const config: AnalysisConfig = {
    publicationDelayMs: 60_000,
    periodMs: 0,
    minRequests: 100,
    errorRate: { maxRatio: 1.5, absoluteFloor: 0.01 },
    latency: { percentiles: ['p95'], maxRatio: 1.25, absoluteFloorMs: 20 },
    slo: { max5xxRate: 0.05 },
    alarms: ['svg-ai-5xx'],
    userMetrics: [{ kind: 'relative', name: 'ssim', query: 'q', better: 'higher', maxRatio: 1.05 }],
  };
  const observation: StageObservation = {
    canaryPercent: 10,
    window: { start: 0, end: 300_000 },
    canary: stats(1000, 1, 120),
    baseline: stats(9000, 9, 120),
    alarms: [{ name: 'svg-ai-5xx', state: 'OK' }],
    userMetrics: [{ check: config.userMetrics![0]!, values: { canary: 0.91, baseline: 0.92 } }],
    probe: undefined,
  };
  const names = (checks: readonly CheckResult[]) => checks.map((c) => c.check);

  it('passes a healthy canary on every configured check', () => {
    const verdict = evaluateStage(observation, config);
    expect(verdict.verdict).toBe('pass');
    expect(names(verdict.checks)).toEqual([
      'canary request evidence',
      'baseline request evidence',
      'error rate vs baseline',
      'p95 latency vs baseline',
      '5xx rate SLO',
      'metric ssim',
      'alarm svg-ai-5xx',
    ]);
  });

  it('skips comparisons at 100%, where the baseline takes no traffic', () => {
    const verdict = evaluateStage({ ...observation, canaryPercent: 100, baseline: undefined }, config);
    expect(verdict.verdict).toBe('pass');
    expect(names(verdict.checks)).toEqual(['canary request evidence', '5xx rate SLO', 'alarm svg-ai-5xx']);
  });

  it('is inconclusive before any metrics are published, while alarms still count', () => {
    const verdict = evaluateStage({ ...observation, window: undefined, canary: undefined, baseline: undefined }, config);
    expect(verdict.verdict).toBe('inconclusive');
    expect(names(verdict.checks)).toEqual(['metric window', 'alarm svg-ai-5xx']);
  });

  it('fails on an alarm even without published metrics', () => {
    const verdict = evaluateStage(
      { ...observation, window: undefined, canary: undefined, alarms: [{ name: 'svg-ai-5xx', state: 'ALARM' }] },
      config,
    );
    expect(verdict.verdict).toBe('fail');
  });

  it('fails on a latency regression alone', () => {
    const verdict = evaluateStage({ ...observation, canary: stats(1000, 1, 300) }, config);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.reason).toContain('p95 latency vs baseline');
  });

  it('judges the probe when one ran', () => {
    const probed = evaluateStage(
      { ...observation, probe: [{ status: 500, latencyMs: 3 }] },
      {
        ...config,
        probe: { request: { count: 1, path: '/healthz', timeoutMs: 1000 }, expectedStatus: 200, maxLatencyMs: 500, maxFailures: 0 },
      },
    );
    expect(probed.verdict).toBe('fail');
    expect(names(probed.checks)).toContain('probe');
  });
});
