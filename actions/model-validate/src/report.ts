/**
 * Reading an evaluation report: JSON, then the versioned schema, then the consistency the schema cannot
 * express (the confusion matrix is the labels against the predictions, the accuracy is its diagonal, every
 * class has samples). Any problem is a ReportError naming the file and every field that is wrong or missing.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { EVALUATION_REPORT_SCHEMA, SUPPORTED_SCHEMA_VERSION } from './report-schema.js';

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface EvaluationReport {
  readonly schema_version: string;
  readonly created_at: string;
  readonly model: {
    readonly name: string;
    readonly version: string;
    readonly sha256: string;
    readonly files: Readonly<Record<string, { readonly file: string; readonly sha256: string }>>;
  };
  readonly dataset: { readonly generator_version: string; readonly seed: number; readonly count: number; readonly sha256: string };
  readonly classes: readonly string[];
  readonly accuracy: number;
  readonly macro_f1: number;
  readonly per_class: Readonly<Record<string, ClassMetrics>>;
  readonly confusion_matrix: readonly (readonly number[])[];
  readonly labels: readonly number[];
  readonly predictions: readonly number[];
  readonly latency_ms: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly mean: number;
    readonly samples: number;
    readonly batch_size?: number;
    readonly threads?: number;
  };
  readonly environment?: { readonly torch_version?: string; readonly python_version?: string; readonly platform?: string };
}

export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop in some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(EVALUATION_REPORT_SCHEMA as unknown as Record<string, unknown>);

/** Parses and checks the text of a report; `file` only names it in errors. */
export function parseReport(file: string, text: string): EvaluationReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const nan = /\b(NaN|-?Infinity)\b/.exec(text);
    throw new ReportError(
      file,
      nan
        ? [`holds ${nan[1]}, which is not a number in JSON: the evaluation produced a non-finite metric; fix the evaluation and re-run it`]
        : [`is not JSON (${error instanceof Error ? error.message : String(error)})`],
    );
  }
  const version = (data as { schema_version?: unknown } | null)?.schema_version;
  if (typeof data === 'object' && data !== null && version !== undefined && version !== SUPPORTED_SCHEMA_VERSION) {
    throw new ReportError(file, [
      `schema_version ${JSON.stringify(version)} is not supported (this gate reads ${SUPPORTED_SCHEMA_VERSION}); re-run the evaluation with the svgai.evaluate of this release`,
    ]);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((error) => {
      const where = error.instancePath === '' ? 'the report' : error.instancePath.slice(1).replace(/\//g, '.');
      if (error.keyword === 'required') return `${where} is missing ${String(error.params['missingProperty'])}`;
      if (error.keyword === 'additionalProperties') return `${where} has unknown field ${String(error.params['additionalProperty'])}`;
      return `${where} ${error.message ?? 'is invalid'}`;
    });
    throw new ReportError(file, [...new Set(problems)]);
  }
  const report = data as EvaluationReport;
  const problems = consistencyProblems(report);
  if (problems.length > 0) throw new ReportError(file, problems);
  return report;
}

/** What the schema cannot say: the parts of the report must describe the same samples. */
export function consistencyProblems(report: EvaluationReport): string[] {
  const problems: string[] = [];
  const k = report.classes.length;
  const n = report.dataset.count;
  if (report.labels.length !== n) problems.push(`labels has ${report.labels.length} entries but dataset.count is ${n}`);
  if (report.predictions.length !== report.labels.length) {
    problems.push(`predictions has ${report.predictions.length} entries but labels has ${report.labels.length}`);
  }
  const outOfRange = [...report.labels, ...report.predictions].find((c) => c >= k);
  if (outOfRange !== undefined) problems.push(`class index ${outOfRange} is outside the ${k} classes`);
  const perClassNames = Object.keys(report.per_class);
  const missing = report.classes.filter((c) => !perClassNames.includes(c));
  const extra = perClassNames.filter((c) => !report.classes.includes(c));
  if (missing.length > 0) problems.push(`per_class is missing ${missing.join(', ')}`);
  if (extra.length > 0) problems.push(`per_class names classes not in classes: ${extra.join(', ')}`);
  const matrix = report.confusion_matrix;
  if (matrix.length !== k || matrix.some((row) => row.length !== k)) {
    problems.push(`confusion_matrix is not ${k} x ${k} (one row and column per class)`);
  }
  if (problems.length > 0) return problems;

  const recomputed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  report.labels.forEach((label, i) => (recomputed[label]![report.predictions[i]!]! += 1));
  if (JSON.stringify(recomputed) !== JSON.stringify(matrix)) {
    problems.push('confusion_matrix does not match labels against predictions');
  }
  const correct = matrix.reduce((sum, row, i) => sum + row[i]!, 0);
  if (Math.abs(correct / n - report.accuracy) > 1e-4) {
    problems.push(`accuracy ${report.accuracy} is not the confusion matrix's ${correct}/${n}`);
  }
  report.classes.forEach((name, i) => {
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    if (support === 0) problems.push(`class ${name} has no samples in the evaluation set: it cannot be judged`);
    else if (report.per_class[name]!.support !== support) {
      problems.push(`per_class.${name}.support is ${report.per_class[name]!.support} but the confusion matrix has ${support}`);
    }
  });
  const { p50, p95, p99 } = report.latency_ms;
  if (!(p50 <= p95 && p95 <= p99)) problems.push(`latency_ms percentiles are not ordered (p50 ${p50}, p95 ${p95}, p99 ${p99})`);
  return problems;
}
