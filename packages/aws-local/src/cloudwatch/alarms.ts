/** Metric alarms, evaluated on the stored data like CloudWatch does: M out of the last N periods. */
import type { Dimension } from './store.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface MetricAlarm {
  name: string;
  arn: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  namespace?: string;
  metricName?: string;
  dimensions: Dimension[];
  statistic?: string;
  extendedStatistic?: string;
  /** Metric-math style queries; only a single returned MetricStat is evaluated. */
  metrics?: unknown[];
  period: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: string;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  configurationUpdatedAt: number;
}

export const COMPARISONS: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

const COMPARISON_WORDS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * Decides the next state from the values of the last N periods (undefined = no data in that period).
 * Returns undefined when the state should stay as it is (`ignore` with no data).
 */
export function evaluate(alarm: MetricAlarm, values: (number | undefined)[]): { state: AlarmState; reason: string } | undefined {
  const compare = COMPARISONS[alarm.comparisonOperator] ?? (() => false);
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length === 0) {
    if (alarm.treatMissingData === 'ignore') return undefined;
    if (alarm.treatMissingData === 'breaching')
      return { state: 'ALARM', reason: 'Threshold Crossed: no datapoints were received, treated as breaching' };
    if (alarm.treatMissingData === 'notBreaching')
      return { state: 'OK', reason: 'Threshold Crossed: no datapoints were received, treated as not breaching' };
    return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${values.length} datapoints were unknown.` };
  }
  const missingBreach = alarm.treatMissingData === 'breaching' ? values.length - present.length : 0;
  const breaching = present.filter((v) => compare(v, alarm.threshold)).length + missingBreach;
  const state: AlarmState = breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
  const shown = present.map((v) => String(Number(v.toFixed(4)))).join(', ');
  const words = COMPARISON_WORDS[alarm.comparisonOperator] ?? alarm.comparisonOperator;
  const reason =
    state === 'ALARM'
      ? `Threshold Crossed: ${breaching} out of the last ${values.length} datapoints [${shown}] were ${words} the threshold (${alarm.threshold}).`
      : `Threshold Crossed: ${values.length - breaching} out of the last ${values.length} datapoints [${shown}] were not ${words} the threshold (${alarm.threshold}).`;
  return { state, reason };
}
