import { errorRateOf, type RequestCounts } from './evidence.js';
import { checkResult, percent, regressionLimit, type CheckResult } from './verdict.js';

export interface ErrorRateComparison {
  readonly canary: RequestCounts;
  readonly baseline: RequestCounts;
  /** The canary's rate may be at most this many times the baseline's (1 or more): 1.5 allows 1.5× the baseline rate. */
  readonly maxRatio: number;
  /** How much worse, absolutely, it may be in any case: 0.01 allows baseline + 1 point, so 0% vs 0.1% is no fail. */
  readonly absoluteFloor: number;
  readonly minRequests: number;
}

/** Canary 5xx rate against the baseline over the same window. Fails only past both tolerances. */
export function judgeErrorRate(input: ErrorRateComparison): CheckResult {
  const check = 'error rate vs baseline';
  const figures = {
    canaryRequests: input.canary.requests,
    canaryErrors: input.canary.errors,
    baselineRequests: input.baseline.requests,
    baselineErrors: input.baseline.errors,
  };
  const canary = errorRateOf('canary', input.canary, input.minRequests);
  if ('missing' in canary) return checkResult(check, 'inconclusive', canary.missing, figures);
  const baseline = errorRateOf('baseline', input.baseline, input.minRequests);
  if ('missing' in baseline) return checkResult(check, 'inconclusive', baseline.missing, figures);

  const limit = regressionLimit(baseline.value, input.maxRatio, input.absoluteFloor);
  const rates = { ...figures, canaryRate: canary.value, baselineRate: baseline.value, limit };
  const comparison = `canary ${percent(canary.value)} vs baseline ${percent(baseline.value)} (limit ${percent(limit)})`;
  return canary.value > limit
    ? checkResult(check, 'fail', `${comparison}: the canary errs more than the baseline`, rates)
    : checkResult(check, 'pass', comparison, rates);
}
