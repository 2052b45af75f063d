import type { TimeWindow } from '../ports.js';

export interface MetricTiming {
  /** How late the metrics source publishes: data newer than `now - publicationDelayMs` is not complete yet. */
  readonly publicationDelayMs: number;
  /**
   * The metrics' period (60 s for ALB metrics), to keep whole periods only: a period that straddles the
   * shift mixes traffic from before it. 0 keeps the window as is.
   */
  readonly periodMs: number;
}

/**
 * The window of complete, published data between `since` (the shift) and `until`, as seen at `now`.
 * The end is never later than `now - publicationDelay`, so late data is neither missed nor read as zero.
 * Undefined when no complete period fits yet: that is "no data", for the caller to treat as inconclusive.
 */
export function metricWindow(input: { since: number; until: number; now: number } & MetricTiming): TimeWindow | undefined {
  const published = Math.min(input.until, input.now - input.publicationDelayMs);
  const start = input.periodMs > 0 ? Math.ceil(input.since / input.periodMs) * input.periodMs : input.since;
  const end = input.periodMs > 0 ? Math.floor(published / input.periodMs) * input.periodMs : published;
  return end > start ? { start, end } : undefined;
}

/** How long to wait until everything up to `until` is published. */
export function publicationWaitMs(input: { until: number; now: number; publicationDelayMs: number }): number {
  return Math.max(0, input.until + input.publicationDelayMs - input.now);
}
