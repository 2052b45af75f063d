/** Turning stored points into CloudWatch statistics over aligned periods. */
import { AwsError } from '../errors.js';
import type { MetricPoint } from './store.js';

export interface Bucketed {
  readonly timestamps: number[];
  readonly values: number[];
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/;

export function checkStat(stat: string): void {
  if (['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'].includes(stat)) return;
  const match = PERCENTILE.exec(stat);
  if (!match || Number(match[1]) > 100) {
    throw new AwsError(
      'InvalidParameterValue',
      `The statistic '${stat}' is not supported: use Sum, Average, Minimum, Maximum, SampleCount or pNN(.NN)`,
    );
  }
}

export function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1 || (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))) {
    throw new AwsError('InvalidParameterValue', `The period ${period} must be 1, 5, 10, 20, 30 or a multiple of 60 seconds`);
  }
}

/** Groups visible points in [start, end) into period buckets aligned on the epoch, oldest first. */
export function bucketPoints(
  points: readonly MetricPoint[],
  startMs: number,
  endMs: number,
  periodSeconds: number,
  now: number,
): Map<number, MetricPoint[]> {
  const periodMs = periodSeconds * 1000;
  const buckets = new Map<number, MetricPoint[]>();
  for (const point of points) {
    if (point.visibleAt > now || point.t < startMs || point.t >= endMs) continue;
    const bucket = Math.floor(point.t / periodMs) * periodMs;
    const list = buckets.get(bucket);
    if (list) list.push(point);
    else buckets.set(bucket, [point]);
  }
  return new Map([...buckets.entries()].sort(([a], [b]) => a - b));
}

export function statistic(points: readonly MetricPoint[], stat: string): number {
  const count = points.reduce((n, p) => n + p.count, 0);
  const sum = points.reduce((n, p) => n + p.sum, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return count === 0 ? 0 : sum / count;
    case 'Minimum':
      return Math.min(...points.map((p) => p.min));
    case 'Maximum':
      return Math.max(...points.map((p) => p.max));
    default:
      return percentile(points, Number(stat.slice(1)));
  }
}

/** Nearest-rank percentile over the individual values (aggregated sets contribute their min and max). */
function percentile(points: readonly MetricPoint[], rank: number): number {
  const values = points.flatMap((p) => p.values ?? (p.count === 1 ? [p.sum] : [p.min, p.max])).sort((a, b) => a - b);
  if (values.length === 0) return 0;
  const index = Math.min(values.length - 1, Math.max(0, Math.ceil((rank / 100) * values.length) - 1));
  return values[index] ?? 0;
}

export function series(
  points: readonly MetricPoint[],
  startMs: number,
  endMs: number,
  periodSeconds: number,
  stat: string,
  now: number,
): Bucketed {
  const buckets = bucketPoints(points, startMs, endMs, periodSeconds, now);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const [t, bucket] of buckets) {
    timestamps.push(t);
    values.push(statistic(bucket, stat));
  }
  return { timestamps, values };
}
