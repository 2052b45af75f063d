/**
 * The `metric-checks` input: extra CloudWatch metric checks judged on every analysis, e.g. the
 * service's predicted conversion quality per model version, so a worse model is caught even when
 * HTTP looks healthy.
 *
 * Shape (JSON array):
 *   [{ "name": "quality", "namespace": "SVGAI", "metric-name": "PredictedQuality",
 *      "stat": "Average", "dimensions": { "Service": "svg-ai" },
 *      "canary-dimensions": { "ModelVersion": "1.4.0" }, "baseline-dimensions": { "ModelVersion": "1.3.0" },
 *      "min": 0.8 }]
 * Exactly one of `min`, `max` (absolute thresholds) or `max-drop-ratio` / `max-rise-ratio`
 * (canary versus baseline, which then needs both dimension sets) must be given. A ratio means what the
 * error-rate and latency tolerances mean: how many times worse than the baseline the canary may be, 1 or
 * more. `max-rise-ratio: 1.2` allows the canary up to 1.2 × the baseline (lower is better);
 * `max-drop-ratio: 1.2` allows it down to baseline / 1.2 (higher is better).
 * `allow-no-data: true` lets the check's metric be empty in preflight (a metric the new revision
 * publishes for the first time); otherwise it must have data before traffic moves.
 */
import { InputError } from '@svg-ai-release/action-kit';

export interface MetricCheck {
  readonly name: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly canaryDimensions: Readonly<Record<string, string>>;
  readonly baselineDimensions: Readonly<Record<string, string>>;
  readonly allowNoData: boolean;
  readonly rule:
    | { readonly kind: 'min'; readonly value: number }
    | { readonly kind: 'max'; readonly value: number }
    | { readonly kind: 'max-drop-ratio'; readonly value: number }
    | { readonly kind: 'max-rise-ratio'; readonly value: number };
}

const STAT = /^(SampleCount|Average|Sum|Minimum|Maximum|p\d{1,2}(\.\d+)?)$/;
const RULES = ['min', 'max', 'max-drop-ratio', 'max-rise-ratio'] as const;
const KNOWN_KEYS = new Set([
  'name',
  'namespace',
  'metric-name',
  'stat',
  'dimensions',
  'canary-dimensions',
  'baseline-dimensions',
  'allow-no-data',
  ...RULES,
]);

export function parseMetricChecks(input: string, raw: string): readonly MetricCheck[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new InputError(input, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(parsed)) throw new InputError(input, 'must be a JSON array of checks');
  const names = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const where = `check #${index + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new InputError(input, `${where} is not an object`);
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!KNOWN_KEYS.has(key))
        throw new InputError(input, `${where} has an unknown key '${key}' (allowed: ${[...KNOWN_KEYS].join(', ')})`);
    }
    const text = (key: string): string => {
      const value = record[key];
      if (typeof value !== 'string' || value.trim() === '') throw new InputError(input, `${where} needs '${key}' as a non-empty string`);
      return value;
    };
    const dims = (key: string): Record<string, string> => {
      const value = record[key] ?? {};
      if (typeof value !== 'object' || Array.isArray(value) || value === null)
        throw new InputError(input, `${where}: '${key}' must be an object of strings`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new InputError(input, `${where}: '${key}.${k}' must be a string`);
      }
      return value as Record<string, string>;
    };
    const name = text('name');
    if (names.has(name)) throw new InputError(input, `${where}: the name '${name}' is used twice`);
    names.add(name);
    const stat = text('stat');
    if (!STAT.test(stat))
      throw new InputError(input, `${where}: stat '${stat}' is not one of SampleCount, Average, Sum, Minimum, Maximum, pNN`);
    const given = RULES.filter((rule) => record[rule] !== undefined);
    if (given.length !== 1) throw new InputError(input, `${where} needs exactly one of ${RULES.join(', ')}; found ${given.length}`);
    const kind = given[0]!;
    const value = record[kind];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(input, `${where}: '${kind}' must be a number`);
    if (kind.endsWith('ratio') && !(value >= 1)) {
      throw new InputError(
        input,
        `${where}: '${kind}' is ${value}; a ratio to the baseline must be 1 or more (1.05 allows the canary 1.05 times worse)`,
      );
    }
    const allowNoData = record['allow-no-data'] ?? false;
    if (typeof allowNoData !== 'boolean') throw new InputError(input, `${where}: 'allow-no-data' must be true or false`);
    const canaryDimensions = dims('canary-dimensions');
    const baselineDimensions = dims('baseline-dimensions');
    if (kind.endsWith('ratio') && (Object.keys(canaryDimensions).length === 0 || Object.keys(baselineDimensions).length === 0)) {
      throw new InputError(
        input,
        `${where}: '${kind}' compares canary with baseline, so it needs 'canary-dimensions' and 'baseline-dimensions'`,
      );
    }
    return {
      name,
      namespace: text('namespace'),
      metricName: text('metric-name'),
      stat,
      dimensions: dims('dimensions'),
      canaryDimensions,
      baselineDimensions,
      allowNoData,
      rule: { kind, value },
    };
  });
}
