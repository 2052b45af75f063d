import { checkResult, type CheckResult } from './verdict.js';

export type Side = 'canary' | 'baseline';

/**
 * Enough requests to judge a side? Too few is inconclusive, never a pass: a canary that took no
 * traffic has proven nothing. A side with no data points at all is reported as such, not as zero.
 */
export function judgeEvidence(input: { side: Side; requests: number | undefined; minRequests: number }): CheckResult {
  const { side, requests, minRequests } = input;
  const check = `${side} request evidence`;
  const figures = { requests, minRequests };
  if (requests === undefined) return checkResult(check, 'inconclusive', `no request data points for the ${side} in the window`, figures);
  if (requests < minRequests) {
    return checkResult(check, 'inconclusive', `${requests} ${side} requests, fewer than the ${minRequests} needed to judge`, figures);
  }
  return checkResult(check, 'pass', `${requests} ${side} requests (at least ${minRequests})`, figures);
}

/** A figure worth judging, or why it is not (yet): a rate over a handful of requests is noise. */
export type Judgeable = { readonly value: number } | { readonly missing: string };

export function judgeable(input: {
  side: Side;
  what: string;
  value: number | undefined;
  requests: number | undefined;
  minRequests: number;
}): Judgeable {
  const { side, requests, minRequests } = input;
  if (requests === undefined) return { missing: `no ${side} request data points` };
  if (requests < minRequests) return { missing: `only ${requests} ${side} requests (${minRequests} needed)` };
  if (input.value === undefined) return { missing: `no ${side} ${input.what} data points` };
  return { value: input.value };
}

export interface RequestCounts {
  readonly requests: number | undefined;
  readonly errors: number | undefined;
}

/** The side's 5xx rate, when there is enough evidence for one. */
export function errorRateOf(side: Side, counts: RequestCounts, minRequests: number): Judgeable {
  const { requests, errors } = counts;
  const rate = requests !== undefined && errors !== undefined && requests > 0 ? errors / requests : undefined;
  return judgeable({ side, what: '5xx', value: rate, requests, minRequests });
}
