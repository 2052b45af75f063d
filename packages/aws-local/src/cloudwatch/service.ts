/** CloudWatch operations over the metric store and the alarms. */
import { AwsError } from '../errors.js';
import { evaluateExpression, type Series } from './expression.js';
import { COMPARISONS, evaluate, type AlarmState, type MetricAlarm } from './alarms.js';
import { checkPeriod, checkStat, series, statistic, bucketPoints } from './stats.js';
import { MetricStore, type Dimension, type MetricId, type MetricPoint } from './store.js';

export interface MetricStatQuery {
  readonly metric: MetricId;
  readonly period: number;
  readonly stat: string;
}

export interface MetricDataQuery {
  readonly id: string;
  readonly label?: string;
  readonly returnData: boolean;
  readonly metricStat?: MetricStatQuery;
  readonly expression?: string;
}

export interface MetricDataResult {
  readonly id: string;
  readonly label: string;
  readonly timestamps: Date[];
  readonly values: number[];
}

export interface PutDatum {
  readonly name: string;
  readonly dimensions: Dimension[];
  readonly timestamp?: Date;
  readonly value?: number;
  readonly values?: number[];
  readonly counts?: number[];
  readonly statisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  readonly unit?: string;
}

export interface DatapointStats {
  readonly timestamp: Date;
  readonly stats: Record<string, number>;
  readonly extended: Record<string, number>;
}

export type AlarmInput = Omit<
  MetricAlarm,
  'arn' | 'state' | 'stateReason' | 'stateUpdatedAt' | 'stateTransitionedAt' | 'configurationUpdatedAt' | 'stateReasonData'
>;

const MAX_VALUES_PER_DATUM = 150;

export class CloudWatchService {
  readonly metrics = new MetricStore();
  alarms: MetricAlarm[] = [];

  constructor(
    private readonly account: { region: string; accountId: string },
    private readonly now: () => number = Date.now,
  ) {}

  putMetricData(namespace: string, data: PutDatum[]): void {
    if (!namespace || namespace.startsWith('AWS/')) {
      throw new AwsError(
        'InvalidParameterValue',
        `The value ${namespace || '(empty)'} for parameter Namespace is invalid: namespaces starting with 'AWS/' are reserved`,
      );
    }
    if (data.length === 0 || data.length > 1000) throw new AwsError('InvalidParameterValue', 'MetricData must hold 1 to 1000 items');
    const now = this.now();
    for (const datum of data) {
      const t = datum.timestamp?.getTime() ?? now;
      const id = { namespace, name: datum.name, dimensions: datum.dimensions };
      for (const point of toPoints(datum, t, now)) this.metrics.add(id, point, datum.unit);
    }
  }

  /** Used by the data plane: points visible only from `visibleAt` on. */
  record(id: MetricId, t: number, value: number, visibleAt: number, unit: string): void {
    this.metrics.add(id, { t, visibleAt, sum: value, count: 1, min: value, max: value, values: [value] }, unit);
  }

  getMetricData(queries: MetricDataQuery[], start: Date, end: Date, scanBy = 'TimestampDescending'): MetricDataResult[] {
    if (queries.length === 0 || queries.length > 500)
      throw new AwsError('InvalidParameterValue', 'MetricDataQueries must hold 1 to 500 queries');
    if (start.getTime() >= end.getTime())
      throw new AwsError('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime');
    const byId = new Map<string, MetricDataQuery>();
    for (const query of queries) {
      if (!/^[a-z][A-Za-z0-9_]*$/.test(query.id))
        throw new AwsError(
          'InvalidParameterValue',
          `The value ${query.id} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter`,
        );
      if (byId.has(query.id))
        throw new AwsError(
          'InvalidParameterValue',
          `The value ${query.id} for parameter MetricDataQueries.member.Id is used more than once`,
        );
      if (!query.metricStat === !query.expression)
        throw new AwsError('InvalidParameterValue', `Query ${query.id} needs exactly one of MetricStat and Expression`);
      byId.set(query.id, query);
    }
    const now = this.now();
    const period = queries.find((q) => q.metricStat)?.metricStat?.period ?? 60;
    const periodMs = period * 1000;
    const grid: number[] = [];
    for (let t = Math.ceil(start.getTime() / periodMs) * periodMs; t < end.getTime(); t += periodMs) grid.push(t);
    const results = new Map<string, Series>();
    const resolving = new Set<string>();
    const resolve = (id: string): Series => {
      const known = results.get(id);
      if (known) return known;
      const query = byId.get(id);
      if (!query) throw new AwsError('InvalidParameterValue', `An expression refers to '${id}', which is not a query id`);
      if (resolving.has(id)) throw new AwsError('InvalidParameterValue', `Query ${id} refers to itself through its expression`);
      resolving.add(id);
      const series = query.metricStat
        ? this.statSeries(query.metricStat, start, end, now)
        : evaluateExpression(query.expression ?? '', resolve, grid);
      results.set(id, series);
      return series;
    };
    return queries.flatMap((query) => {
      const series = resolve(query.id);
      if (!query.returnData) return [];
      const points = [...series.entries()].sort(([a], [b]) => (scanBy === 'TimestampAscending' ? a - b : b - a));
      return [
        {
          id: query.id,
          label: query.label ?? query.metricStat?.metric.name ?? query.id,
          timestamps: points.map(([t]) => new Date(t)),
          values: points.map(([, v]) => v),
        },
      ];
    });
  }

  private statSeries({ metric, period, stat }: MetricStatQuery, start: Date, end: Date, now: number): Series {
    checkPeriod(period);
    checkStat(stat);
    const result = series(this.metrics.get(metric)?.points ?? [], start.getTime(), end.getTime(), period, stat, now);
    return new Map(result.timestamps.map((t, i) => [t, result.values[i] ?? 0]));
  }

  getMetricStatistics(
    metric: MetricId,
    start: Date,
    end: Date,
    period: number,
    statistics: string[],
    extended: string[],
  ): DatapointStats[] {
    checkPeriod(period);
    if (statistics.length === 0 && extended.length === 0)
      throw new AwsError('MissingParameter', 'Statistics or ExtendedStatistics must be given');
    for (const stat of [...statistics, ...extended]) checkStat(stat);
    const buckets = bucketPoints(this.metrics.get(metric)?.points ?? [], start.getTime(), end.getTime(), period, this.now());
    return [...buckets].map(([t, points]) => ({
      timestamp: new Date(t),
      stats: Object.fromEntries(statistics.map((stat) => [stat, statistic(points, stat)])),
      extended: Object.fromEntries(extended.map((stat) => [stat, statistic(points, stat)])),
    }));
  }

  unitOf(metric: MetricId): string | undefined {
    return this.metrics.get(metric)?.unit;
  }

  putMetricAlarm(input: AlarmInput): void {
    if (!COMPARISONS[input.comparisonOperator])
      throw new AwsError(
        'InvalidParameterValue',
        `ComparisonOperator '${input.comparisonOperator}' is not one of ${Object.keys(COMPARISONS).join(', ')}`,
      );
    if (!['missing', 'ignore', 'breaching', 'notBreaching'].includes(input.treatMissingData)) {
      throw new AwsError(
        'InvalidParameterValue',
        `TreatMissingData must be missing, ignore, breaching or notBreaching, got '${input.treatMissingData}'`,
      );
    }
    if (!input.metrics && (!input.metricName || !input.namespace))
      throw new AwsError('InvalidParameterValue', 'An alarm needs MetricName and Namespace, or Metrics');
    if (!input.metrics && !input.statistic === !input.extendedStatistic)
      throw new AwsError('InvalidParameterValue', 'Give exactly one of Statistic and ExtendedStatistic');
    if (input.datapointsToAlarm > input.evaluationPeriods || input.evaluationPeriods < 1) {
      throw new AwsError('InvalidParameterValue', 'DatapointsToAlarm must be between 1 and EvaluationPeriods');
    }
    checkPeriod(input.period);
    const now = this.now();
    const existing = this.alarms.find((alarm) => alarm.name === input.name);
    const alarm: MetricAlarm = {
      ...input,
      arn: `arn:aws:cloudwatch:${this.account.region}:${this.account.accountId}:alarm:${input.name}`,
      state: existing?.state ?? 'INSUFFICIENT_DATA',
      stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
      stateUpdatedAt: existing?.stateUpdatedAt ?? now,
      stateTransitionedAt: existing?.stateTransitionedAt ?? now,
      configurationUpdatedAt: now,
    };
    this.alarms = [...this.alarms.filter((item) => item.name !== input.name), alarm];
    this.evaluateAlarm(alarm);
  }

  describeAlarms(filter: { names?: string[]; prefix?: string; state?: string }): MetricAlarm[] {
    return this.alarms
      .filter((alarm) => !filter.names?.length || filter.names.includes(alarm.name))
      .filter((alarm) => !filter.prefix || alarm.name.startsWith(filter.prefix))
      .filter((alarm) => !filter.state || alarm.state === filter.state)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Like CloudWatch, a state set by hand holds until the next evaluation. */
  setAlarmState(name: string, state: string, reason: string, reasonData?: string): void {
    const alarm = this.alarms.find((item) => item.name === name);
    if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);
    if (state !== 'OK' && state !== 'ALARM' && state !== 'INSUFFICIENT_DATA')
      throw new AwsError('InvalidParameterValue', `StateValue must be OK, ALARM or INSUFFICIENT_DATA, got '${state}'`);
    this.transition(alarm, state, reason, reasonData);
  }

  deleteAlarms(names: string[]): void {
    const missing = names.filter((name) => !this.alarms.some((alarm) => alarm.name === name));
    if (missing.length) throw new AwsError('ResourceNotFound', `Alarms ${missing.join(', ')} not found`, 404);
    this.alarms = this.alarms.filter((alarm) => !names.includes(alarm.name));
  }

  evaluateAlarms(): void {
    for (const alarm of this.alarms) this.evaluateAlarm(alarm);
  }

  /** The last N complete periods before now. */
  private evaluateAlarm(alarm: MetricAlarm): void {
    const target = alarmMetric(alarm);
    if (!target) return;
    const periodMs = alarm.period * 1000;
    const end = Math.floor(this.now() / periodMs) * periodMs;
    const start = end - alarm.evaluationPeriods * periodMs;
    const buckets = bucketPoints(this.metrics.get(target.metric)?.points ?? [], start, end, alarm.period, this.now());
    const values = Array.from({ length: alarm.evaluationPeriods }, (_, i) => {
      const points = buckets.get(start + i * periodMs);
      return points ? statistic(points, target.stat) : undefined;
    });
    const next = evaluate(alarm, values);
    if (next && next.state !== alarm.state) this.transition(alarm, next.state, next.reason);
  }

  private transition(alarm: MetricAlarm, state: AlarmState, reason: string, reasonData?: string): void {
    const now = this.now();
    if (alarm.state !== state) alarm.stateTransitionedAt = now;
    alarm.state = state;
    alarm.stateReason = reason;
    alarm.stateReasonData = reasonData;
    alarm.stateUpdatedAt = now;
  }
}

/** The metric an alarm watches: its own fields, or the single returned MetricStat of its Metrics. */
function alarmMetric(alarm: MetricAlarm): { metric: MetricId; stat: string } | undefined {
  if (alarm.metricName && alarm.namespace) {
    return {
      metric: { namespace: alarm.namespace, name: alarm.metricName, dimensions: alarm.dimensions },
      stat: alarm.statistic ?? alarm.extendedStatistic ?? 'Average',
    };
  }
  const query = (
    alarm.metrics as
      | {
          ReturnData?: boolean;
          MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] }; Stat?: string };
        }[]
      | undefined
  )?.find((item) => item.ReturnData !== false && item.MetricStat);
  const metric = query?.MetricStat?.Metric;
  if (!metric?.Namespace || !metric.MetricName) return undefined;
  return {
    metric: { namespace: metric.Namespace, name: metric.MetricName, dimensions: metric.Dimensions ?? [] },
    stat: query?.MetricStat?.Stat ?? 'Average',
  };
}

function toPoints(datum: PutDatum, t: number, now: number): MetricPoint[] {
  if (datum.statisticValues) {
    const s = datum.statisticValues;
    return [{ t, visibleAt: now, sum: s.Sum, count: s.SampleCount, min: s.Minimum, max: s.Maximum }];
  }
  if (datum.values?.length) {
    if (datum.values.length > MAX_VALUES_PER_DATUM)
      throw new AwsError('InvalidParameterValue', `Values may hold at most ${MAX_VALUES_PER_DATUM} items`);
    return datum.values.map((value, i) => {
      const count = datum.counts?.[i] ?? 1;
      return {
        t,
        visibleAt: now,
        sum: value * count,
        count,
        min: value,
        max: value,
        values: Array.from({ length: Math.min(count, 1000) }, () => value),
      };
    });
  }
  if (datum.value === undefined)
    throw new AwsError('InvalidParameterCombination', `Metric ${datum.name} needs Value, Values or StatisticValues`);
  return [{ t, visibleAt: now, sum: datum.value, count: 1, min: datum.value, max: datum.value, values: [datum.value] }];
}
