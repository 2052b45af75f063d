import type { Percentile } from '../ports.js';
import { judgeable } from './evidence.js';
import { checkResult, regressionLimit, type CheckResult } from './verdict.js';

export interface LatencyComparison {
  readonly percentile: Percentile;
  readonly canaryMs: number | undefined;
  readonly baselineMs: number | undefined;
  readonly canaryRequests: number | undefined;
  readonly baselineRequests: number | undefined;
  /** The canary's latency may be at most this many times the baseline's (1 or more): 1.2 allows 1.2×. */
  readonly maxRatio: number;
  /** Differences up to this many milliseconds are noise, whatever the ratio. */
  readonly absoluteFloorMs: number;
  readonly minRequests: number;
}

/** A latency percentile of the canary against the baseline's, over the same window. */
export function judgeLatency(input: LatencyComparison): CheckResult {
  const { percentile, minRequests } = input;
  const check = `${percentile} latency vs baseline`;
  const figures = {
    canaryMs: input.canaryMs,
    baselineMs: input.baselineMs,
    canaryRequests: input.canaryRequests,
    baselineRequests: input.baselineRequests,
  };
  const canary = judgeable({ side: 'canary', what: percentile, value: input.canaryMs, requests: input.canaryRequests, minRequests });
  if ('missing' in canary) return checkResult(check, 'inconclusive', canary.missing, figures);
  const baseline = judgeable({
    side: 'baseline',
    what: percentile,
    value: input.baselineMs,
    requests: input.baselineRequests,
    minRequests,
  });
  if ('missing' in baseline) return checkResult(check, 'inconclusive', baseline.missing, figures);

  const limit = regressionLimit(baseline.value, input.maxRatio, input.absoluteFloorMs);
  const comparison = `canary ${ms(canary.value)} vs baseline ${ms(baseline.value)} (limit ${ms(limit)})`;
  return canary.value > limit
    ? checkResult(check, 'fail', `${comparison}: the canary is slower than the baseline`, { ...figures, limitMs: limit })
    : checkResult(check, 'pass', comparison, { ...figures, limitMs: limit });
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
