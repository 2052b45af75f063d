/**
 * The statistics the gate judges with: pure, deterministic, no dependencies.
 *
 * - Wilson score interval of a proportion (accuracy, recall): unlike the normal approximation it stays inside
 *   [0, 1] and is honest near 1, which is where a release gate lives (0.95 measured on 800 samples does not
 *   prove > 0.95).
 * - Paired comparison of two classifiers on the same samples: only the discordant pairs carry information.
 *   `b` = samples the challenger got right and the champion wrong, `c` = the reverse. The interval of the
 *   accuracy difference is the Bonett–Price adjusted Wald interval for paired proportions (2012), and the
 *   p-value is McNemar's exact (binomial) test of b against b + c.
 */

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** The z value of a two-sided interval at `confidence` (0.95 → 1.959964). */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence ${confidence} is not in (0, 1)`);
  return inverseNormal(1 - (1 - confidence) / 2);
}

/** Wilson score interval of `successes` out of `n` at `confidence`. */
export function wilsonInterval(successes: number, n: number, confidence: number): Interval {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`a proportion needs at least one sample, got n = ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes ${successes} is not a whole number between 0 and n = ${n}`);
  }
  const z = zForConfidence(confidence);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: clamp(centre - half, 0, 1), upper: clamp(centre + half, 0, 1) };
}

export interface PairedCounts {
  /** Samples in both evaluations. */
  readonly n: number;
  /** Challenger right, champion wrong. */
  readonly challengerOnly: number;
  /** Champion right, challenger wrong. */
  readonly championOnly: number;
}

export interface PairedComparison extends PairedCounts {
  /** Challenger accuracy minus champion accuracy, (b − c) / n. */
  readonly difference: number;
  readonly interval: Interval;
  /** McNemar's exact two-sided p-value; 1 when there are no discordant pairs. */
  readonly pValue: number;
}

/** Counts the discordant pairs of two prediction lists against the same labels. */
export function pairedCounts(labels: readonly number[], challenger: readonly number[], champion: readonly number[]): PairedCounts {
  if (challenger.length !== labels.length || champion.length !== labels.length) {
    throw new RangeError(
      `paired predictions must cover the same samples: ${labels.length} labels, ${challenger.length} challenger and ${champion.length} champion predictions`,
    );
  }
  let challengerOnly = 0;
  let championOnly = 0;
  labels.forEach((label, i) => {
    const a = challenger[i] === label;
    const b = champion[i] === label;
    if (a && !b) challengerOnly += 1;
    if (b && !a) championOnly += 1;
  });
  return { n: labels.length, challengerOnly, championOnly };
}

export function comparePaired(counts: PairedCounts, confidence: number): PairedComparison {
  const { n, challengerOnly: b, championOnly: c } = counts;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`a paired comparison needs at least one sample, got n = ${n}`);
  if (b < 0 || c < 0 || b + c > n) throw new RangeError(`discordant pairs ${b} + ${c} do not fit in n = ${n}`);
  const z = zForConfidence(confidence);
  const p12 = (b + 1) / (n + 2);
  const p21 = (c + 1) / (n + 2);
  const adjusted = p12 - p21;
  const se = Math.sqrt(Math.max(0, p12 + p21 - adjusted * adjusted) / (n + 2));
  return {
    ...counts,
    difference: (b - c) / n,
    interval: { lower: clamp(adjusted - z * se, -1, 1), upper: clamp(adjusted + z * se, -1, 1) },
    pValue: mcnemarExact(b, c),
  };
}

/** Two-sided exact McNemar test: P(X ≤ min(b, c)) doubled, X ~ Binomial(b + c, 1/2). */
export function mcnemarExact(b: number, c: number): number {
  const m = b + c;
  if (m === 0) return 1;
  const k = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= k; i += 1) tail += Math.exp(logChoose(m, i) - m * Math.LN2);
  return Math.min(1, 2 * tail);
}

/** The p-th percentile (0..100) of `values` by linear interpolation between closest ranks (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('a percentile needs at least one value');
  const sorted = [...values].sort((x, y) => x - y);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i += 1) sum += Math.log(i);
  return sum;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
