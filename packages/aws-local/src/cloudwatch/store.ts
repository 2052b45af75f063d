/**
 * Metric storage. Every point remembers when it becomes visible, which is how ALB metrics arrive
 * late (publication period + delay) while PutMetricData points are visible at once.
 */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

export interface MetricPoint {
  /** Timestamp of the data, epoch ms. */
  readonly t: number;
  readonly visibleAt: number;
  readonly sum: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Individual values, when known, so percentiles are exact. */
  readonly values?: number[];
}

export interface MetricSeries {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Dimension[];
  unit?: string;
  points: MetricPoint[];
}

export interface MetricId {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly Dimension[];
}

export function seriesKey(id: MetricId): string {
  const dims = [...id.dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => `${d.Name}=${d.Value}`);
  return `${id.namespace}\u0000${id.name}\u0000${dims.join('\u0000')}`;
}

export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();

  add(id: MetricId, point: MetricPoint, unit?: string): void {
    const key = seriesKey(id);
    let series = this.series.get(key);
    if (!series) {
      series = { namespace: id.namespace, name: id.name, dimensions: [...id.dimensions], points: [] };
      this.series.set(key, series);
    }
    if (unit) series.unit = unit;
    series.points.push(point);
  }

  /** Dimensions must match exactly, as in CloudWatch. */
  get(id: MetricId): MetricSeries | undefined {
    return this.series.get(seriesKey(id));
  }

  list(filter: { namespace?: string; name?: string; dimensions?: { Name: string; Value?: string }[] }): MetricSeries[] {
    return [...this.series.values()].filter(
      (s) =>
        (filter.namespace === undefined || s.namespace === filter.namespace) &&
        (filter.name === undefined || s.name === filter.name) &&
        (filter.dimensions ?? []).every((want) =>
          s.dimensions.some((d) => d.Name === want.Name && (want.Value === undefined || d.Value === want.Value)),
        ),
    );
  }

  snapshot(): MetricSeries[] {
    return [...this.series.values()];
  }

  restore(series: MetricSeries[]): void {
    this.series.clear();
    for (const item of series) this.series.set(seriesKey(item), item);
  }
}
