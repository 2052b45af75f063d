/**
 * The three-valued outcome of every check. Inconclusive (too little evidence) is its own answer:
 * it is never rounded up to a pass.
 */
export type Verdict = 'pass' | 'fail' | 'inconclusive';

export type Figure = number | string | undefined;

export interface CheckResult {
  /** What was checked, e.g. `error rate vs baseline` or `alarm svg-ai-5xx`. */
  readonly check: string;
  readonly verdict: Verdict;
  /** One sentence a person can act on, with the numbers that decided. */
  readonly reason: string;
  readonly figures: Readonly<Record<string, Figure>>;
}

export interface CombinedVerdict {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly checks: readonly CheckResult[];
}

export function checkResult(check: string, verdict: Verdict, reason: string, figures: Readonly<Record<string, Figure>> = {}): CheckResult {
  return { check, verdict, reason, figures };
}

/** Any fail fails; otherwise any inconclusive is inconclusive; only all-pass passes. No checks is no evidence. */
export function combineVerdicts(checks: readonly CheckResult[]): CombinedVerdict {
  const failed = checks.filter((c) => c.verdict === 'fail');
  if (failed.length > 0) return { verdict: 'fail', reason: reasons(failed), checks };
  const unsure = checks.filter((c) => c.verdict === 'inconclusive');
  if (unsure.length > 0) return { verdict: 'inconclusive', reason: reasons(unsure), checks };
  if (checks.length === 0) return { verdict: 'inconclusive', reason: 'no checks ran, so there is no evidence', checks };
  return { verdict: 'pass', reason: `all ${checks.length} checks passed`, checks };
}

function reasons(checks: readonly CheckResult[]): string {
  return checks.map((c) => `${c.check}: ${c.reason}`).join('; ');
}

/** Formats a ratio as a percentage for messages, e.g. 0.0123 → `1.23%`. */
export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

/**
 * The highest value the canary may show for a "lower is better" figure (error rate, latency): at most
 * `maxRatio` times the baseline (a ratio of 1 or more: 1.5 allows one and a half times the baseline), and
 * in any case the baseline plus `absoluteFloor`, so that tiny baselines do not turn noise into failures.
 * A value equal to the limit passes; only a value above it fails.
 */
export function regressionLimit(baseline: number, maxRatio: number, absoluteFloor: number): number {
  return Math.max(baseline * maxRatio, baseline + absoluteFloor);
}
