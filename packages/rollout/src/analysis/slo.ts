import type { Percentile } from '../ports.js';
import { errorRateOf, judgeable } from './evidence.js';
import { ms } from './latency.js';
import { checkResult, percent, type CheckResult } from './verdict.js';

/** The canary's 5xx rate against an absolute ceiling, whatever the baseline does. */
export function judgeErrorRateSlo(input: {
  requests: number | undefined;
  errors: number | undefined;
  maxRate: number;
  minRequests: number;
}): CheckResult {
  const check = '5xx rate SLO';
  const figures = { requests: input.requests, errors: input.errors, maxRate: input.maxRate };
  const rate = errorRateOf('canary', input, input.minRequests);
  if ('missing' in rate) return checkResult(check, 'inconclusive', rate.missing, figures);

  const comparison = `canary ${percent(rate.value)} (SLO ${percent(input.maxRate)})`;
  return rate.value > input.maxRate
    ? checkResult(check, 'fail', `${comparison}: above the SLO`, { ...figures, rate: rate.value })
    : checkResult(check, 'pass', comparison, { ...figures, rate: rate.value });
}

/** A canary latency percentile against an absolute ceiling. */
export function judgeLatencySlo(input: {
  percentile: Percentile;
  valueMs: number | undefined;
  maxMs: number;
  requests: number | undefined;
  minRequests: number;
}): CheckResult {
  const check = `${input.percentile} latency SLO`;
  const figures = { valueMs: input.valueMs, maxMs: input.maxMs, requests: input.requests };
  const latency = judgeable({
    side: 'canary',
    what: input.percentile,
    value: input.valueMs,
    requests: input.requests,
    minRequests: input.minRequests,
  });
  if ('missing' in latency) return checkResult(check, 'inconclusive', latency.missing, figures);

  const comparison = `canary ${ms(latency.value)} (SLO ${ms(input.maxMs)})`;
  return latency.value > input.maxMs
    ? checkResult(check, 'fail', `${comparison}: above the SLO`, figures)
    : checkResult(check, 'pass', comparison, figures);
}
