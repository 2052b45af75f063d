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
  /** Lets the metric be empty in preflight (a metric the new revision publishes first); otherwise it must have data. */
  readonly allowNoData?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** The canary's value against the baseline's, in the direction that is better. */
export interface UserMetricComparison {
  readonly kind: 'relative';
  readonly name: string;
  readonly query: string;
  /** Lets the metric be empty in preflight (a metric the new revision publishes first); otherwise it must have data. */
  readonly allowNoData?: boolean;
  readonly better: 'higher' | 'lower';
  /**
   * How many times worse than the baseline the canary may be, 1 or more, as for error rates and latency:
   * lower-is-better, canary ≤ maxRatio × baseline; higher-is-better, baseline ≤ maxRatio × canary
   * (1.05: a quality of 0.9 allows the canary down to 0.9 / 1.05 ≈ 0.857).
   */
  readonly maxRatio: number;
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
  // The allowance is relative to the baseline's magnitude, so it also works for metrics that can be negative;
  // for a positive baseline the limit is exactly maxRatio × baseline (lower is better) or baseline / maxRatio.
  const share = check.better === 'higher' ? 1 - 1 / check.maxRatio : check.maxRatio - 1;
  const allowance = Math.max(Math.abs(baseline) * share, check.absoluteFloor ?? 0);
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
