/**
 * CloudWatch over JSON 1.0 (`GraniteServiceVersion20100801.<Op>`), which the current SDK sends.
 * The service is "query compatible": errors carry the Query-era code in `x-amzn-query-error`.
 */
import { AwsError, toAwsError } from '../errors.js';
import type { AwsHandler } from '../http-types.js';
import { requestId } from '../ids.js';
import { jsonError, jsonResponse, JsonReader, parseJsonCall } from '../protocols/json.js';
import type { MetricAlarm } from './alarms.js';
import type { CloudWatchService, MetricDataQuery } from './service.js';
import type { Dimension, MetricId } from './store.js';

export const CLOUDWATCH_TARGET = 'GraniteServiceVersion20100801';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

type Operation = (input: JsonReader) => unknown;

export function createCloudWatchHandler(service: CloudWatchService): AwsHandler {
  const operations: Record<string, Operation> = {
    PutMetricData: (r) => {
      const namespace = r.requiredString('Namespace');
      service.putMetricData(
        namespace,
        (r.objects('MetricData') ?? []).map((d) => {
          const stats = d.object('StatisticValues');
          return {
            name: d.requiredString('MetricName'),
            dimensions: readDimensions(d),
            timestamp: d.timestamp('Timestamp'),
            value: d.number('Value'),
            values: numbers(d.raw['Values']),
            counts: numbers(d.raw['Counts']),
            statisticValues: stats && {
              SampleCount: stats.number('SampleCount') ?? 0,
              Sum: stats.number('Sum') ?? 0,
              Minimum: stats.number('Minimum') ?? 0,
              Maximum: stats.number('Maximum') ?? 0,
            },
            unit: d.string('Unit'),
          };
        }),
      );
      return {};
    },
    GetMetricData: (r) => {
      const queries: MetricDataQuery[] = (r.objects('MetricDataQueries') ?? []).map((q) => {
        const stat = q.object('MetricStat');
        const metric = stat?.object('Metric');
        return {
          id: q.requiredString('Id'),
          label: q.string('Label'),
          returnData: q.boolean('ReturnData') ?? true,
          expression: q.string('Expression'),
          metricStat: stat &&
            metric && { metric: readMetricId(metric), period: stat.number('Period') ?? 0, stat: stat.requiredString('Stat') },
        };
      });
      const results = service.getMetricData(
        queries,
        required(r.timestamp('StartTime'), 'StartTime'),
        required(r.timestamp('EndTime'), 'EndTime'),
        r.string('ScanBy'),
      );
      return {
        MetricDataResults: results.map((res) => ({
          Id: res.id,
          Label: res.label,
          Timestamps: res.timestamps,
          Values: res.values,
          StatusCode: 'Complete',
          Messages: [],
        })),
        Messages: [],
      };
    },
    GetMetricStatistics: (r) => {
      const metric = readMetricId(r);
      const points = service.getMetricStatistics(
        metric,
        required(r.timestamp('StartTime'), 'StartTime'),
        required(r.timestamp('EndTime'), 'EndTime'),
        r.number('Period') ?? 0,
        r.strings('Statistics') ?? [],
        r.strings('ExtendedStatistics') ?? [],
      );
      const unit = service.unitOf(metric) ?? 'None';
      return {
        Label: metric.name,
        Datapoints: points.map((p) => ({
          Timestamp: p.timestamp,
          ...p.stats,
          Unit: unit,
          ...(Object.keys(p.extended).length ? { ExtendedStatistics: p.extended } : {}),
        })),
      };
    },
    ListMetrics: (r) => ({
      Metrics: service.metrics
        .list({
          namespace: r.string('Namespace'),
          name: r.string('MetricName'),
          dimensions: (r.objects('Dimensions') ?? []).map((d) => ({ Name: d.requiredString('Name'), Value: d.string('Value') })),
        })
        .map((s) => ({ Namespace: s.namespace, MetricName: s.name, Dimensions: s.dimensions })),
    }),
    PutMetricAlarm: (r) => {
      const evaluationPeriods = r.number('EvaluationPeriods') ?? 0;
      service.putMetricAlarm({
        name: r.requiredString('AlarmName'),
        description: r.string('AlarmDescription'),
        actionsEnabled: r.boolean('ActionsEnabled') ?? true,
        okActions: r.strings('OKActions') ?? [],
        alarmActions: r.strings('AlarmActions') ?? [],
        insufficientDataActions: r.strings('InsufficientDataActions') ?? [],
        namespace: r.string('Namespace'),
        metricName: r.string('MetricName'),
        dimensions: readDimensions(r),
        statistic: r.string('Statistic'),
        extendedStatistic: r.string('ExtendedStatistic'),
        metrics: Array.isArray(r.raw['Metrics']) ? (r.raw['Metrics'] as unknown[]) : undefined,
        period: r.number('Period') ?? firstPeriod(r.raw['Metrics']) ?? 60,
        unit: r.string('Unit'),
        evaluationPeriods,
        datapointsToAlarm: r.number('DatapointsToAlarm') ?? evaluationPeriods,
        threshold: r.number('Threshold') ?? 0,
        comparisonOperator: r.requiredString('ComparisonOperator'),
        treatMissingData: r.string('TreatMissingData') ?? 'missing',
      });
      return {};
    },
    DescribeAlarms: (r) => ({
      MetricAlarms: service
        .describeAlarms({ names: r.strings('AlarmNames'), prefix: r.string('AlarmNamePrefix'), state: r.string('StateValue') })
        .map(alarmJson),
      CompositeAlarms: [],
    }),
    SetAlarmState: (r) => {
      service.setAlarmState(
        r.requiredString('AlarmName'),
        r.requiredString('StateValue'),
        r.requiredString('StateReason'),
        r.string('StateReasonData'),
      );
      return {};
    },
    DeleteAlarms: (r) => {
      service.deleteAlarms(r.strings('AlarmNames') ?? []);
      return {};
    },
  };

  return async (request) => {
    const id = requestId();
    try {
      const call = parseJsonCall(request, CLOUDWATCH_TARGET);
      const operation = operations[call.operation];
      if (!operation)
        throw new AwsError(
          'InvalidAction',
          `The action ${call.operation} is not valid for this web service (or not supported by the stand-in)`,
        );
      return jsonResponse(operation(new JsonReader(call.input, 'InvalidParameterValue')), CONTENT_TYPE, id);
    } catch (error) {
      return jsonError(toAwsError(error), CONTENT_TYPE, id, true);
    }
  };
}

function readDimensions(r: JsonReader): Dimension[] {
  return (r.objects('Dimensions') ?? []).map((d) => ({ Name: d.requiredString('Name'), Value: d.requiredString('Value') }));
}

function readMetricId(r: JsonReader): MetricId {
  return { namespace: r.requiredString('Namespace'), name: r.requiredString('MetricName'), dimensions: readDimensions(r) };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new AwsError('MissingParameter', `The parameter ${name} is required`);
  return value;
}

function numbers(value: unknown): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'number'))
    throw new AwsError('InvalidParameterValue', 'Values and Counts must be lists of numbers');
  return value as number[];
}

function firstPeriod(metrics: unknown): number | undefined {
  if (!Array.isArray(metrics)) return undefined;
  const found = metrics.find((m: { MetricStat?: { Period?: unknown } }) => typeof m?.MetricStat?.Period === 'number') as
    { MetricStat: { Period: number } } | undefined;
  return found?.MetricStat.Period;
}

function alarmJson(alarm: MetricAlarm): Record<string, unknown> {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmDescription: alarm.description,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateReasonData: alarm.stateReasonData,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    Statistic: alarm.statistic,
    ExtendedStatistic: alarm.extendedStatistic,
    Dimensions: alarm.dimensions,
    Period: alarm.period,
    Unit: alarm.unit,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
    TreatMissingData: alarm.treatMissingData,
    Metrics: alarm.metrics,
  };
}
