/**
 * CloudWatch embedded metric format (EMF) in a task's standard output, turned into metrics as CloudWatch
 * Logs does for a container whose log driver is awslogs: one JSON object per line, whose `_aws` member names
 * the namespace, the dimension sets and the metrics, and whose top-level members hold the dimension values and
 * the metric values (a number, or an array of numbers). Lines that are not EMF are ignored, as CloudWatch
 * keeps them as plain log events; a malformed directive is skipped, never fatal.
 */
import type { Dimension } from '../cloudwatch/store.js';

export interface EmfDatum {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly Dimension[];
  readonly values: readonly number[];
  readonly unit: string;
  /** Epoch ms: the record's `_aws.Timestamp`. */
  readonly timestamp: number;
}

interface Directive {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

/** The metric data one line carries; empty when the line is not an EMF record. */
export function parseEmfLine(line: string): EmfDatum[] {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"_aws"')) return [];
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const aws = record['_aws'] as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws || typeof aws.Timestamp !== 'number' || !Array.isArray(aws.CloudWatchMetrics)) return [];
  const data: EmfDatum[] = [];
  for (const directive of aws.CloudWatchMetrics as Directive[]) {
    if (typeof directive?.Namespace !== 'string' || directive.Namespace === '' || directive.Namespace.startsWith('AWS/')) continue;
    if (!Array.isArray(directive.Dimensions) || !Array.isArray(directive.Metrics)) continue;
    for (const set of directive.Dimensions as unknown[]) {
      if (!Array.isArray(set) || set.length > 30) continue;
      const dimensions: Dimension[] = [];
      for (const key of set) {
        const value = typeof key === 'string' ? record[key] : undefined;
        if (typeof value !== 'string' || value === '') break;
        dimensions.push({ Name: key as string, Value: value });
      }
      if (dimensions.length !== set.length) continue; // a dimension without a string value: CloudWatch drops the set
      for (const metric of directive.Metrics as { Name?: unknown; Unit?: unknown }[]) {
        if (typeof metric?.Name !== 'string') continue;
        const raw = record[metric.Name];
        const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        if (values.length === 0) continue;
        data.push({
          namespace: directive.Namespace,
          name: metric.Name,
          dimensions,
          values,
          unit: typeof metric.Unit === 'string' ? metric.Unit : 'None',
          timestamp: aws.Timestamp,
        });
      }
    }
  }
  return data;
}
