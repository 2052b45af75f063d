import { checkResult, type CheckResult } from './verdict.js';

/**
 * A metric the user names, e.g. the service's quality score per model version, so that a worse model
 * is caught even when HTTP looks healthy. `query` is opaque here: the Metrics adapter interprets it
 * for the side asked about.
 */
export type UserMetricCheck = UserMetricThreshold | UserMetricComparison;

/** The canary's value must stay within [min, max] (either bound may be left out). */
export interface UserMetricThreshold {
  readonly kind: 'threshold';
  readonly name: string;
  readonly query: string;
  readonly min?: number;
  readonly max?: number;
}

/** The canary's value against the baseline's, in the direction that is better. */
export interface UserMetricComparison {
  readonly kind: 'relative';
  readonly name: string;
  readonly query: string;
  readonly better: 'higher' | 'lower';
  /** 0.05 lets the canary be 5% worse than the baseline. */
  readonly relativeTolerance: number;
  /** Differences up to this much are noise, whatever the ratio. */
  readonly absoluteFloor?: number;
}

export interface UserMetricValues {
  readonly canary: number | undefined;
  /** Only needed by relative checks. */
  readonly baseline?: number | undefined;
}

/** Missing data is inconclusive, never zero and never a pass. */
export function judgeUserMetric(check: UserMetricCheck, values: UserMetricValues): CheckResult {
  const name = `metric ${check.name}`;
  const figures = { canary: values.canary, baseline: values.baseline };
  if (values.canary === undefined) return checkResult(name, 'inconclusive', 'no data points for the canary', figures);
  if (check.kind === 'threshold') return judgeThreshold(name, check, values.canary, figures);

  if (values.baseline === undefined) return checkResult(name, 'inconclusive', 'no data points for the baseline', figures);
  const baseline = values.baseline;
  // Tolerance is relative to the baseline's magnitude, so it works for metrics that can be negative.
  const allowance = Math.max(Math.abs(baseline) * check.relativeTolerance, check.absoluteFloor ?? 0);
  const limit = check.better === 'higher' ? baseline - allowance : baseline + allowance;
  const worse = check.better === 'higher' ? values.canary < limit : values.canary > limit;
  const comparison = `canary ${values.canary} vs baseline ${baseline} (${check.better} is better, limit ${limit})`;
  return worse
    ? checkResult(name, 'fail', `${comparison}: the canary is worse`, { ...figures, limit })
    : checkResult(name, 'pass', comparison, { ...figures, limit });
}

function judgeThreshold(name: string, check: UserMetricThreshold, value: number, figures: Record<string, number | undefined>): CheckResult {
  const bounds = { ...figures, min: check.min, max: check.max };
  if (check.min !== undefined && value < check.min) {
    return checkResult(name, 'fail', `canary ${value} is below the minimum ${check.min}`, bounds);
  }
  if (check.max !== undefined && value > check.max) {
    return checkResult(name, 'fail', `canary ${value} is above the maximum ${check.max}`, bounds);
  }
  return checkResult(name, 'pass', `canary ${value} is within ${check.min ?? '-∞'}..${check.max ?? '∞'}`, bounds);
}
