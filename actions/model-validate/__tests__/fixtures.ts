/** Synthetic evaluation reports and model sets for the pure tests: consistent unless a test breaks them. */
import type { ModelSetFacts, Thresholds } from '../src/gate.js';
import type { EvaluationReport } from '../src/report.js';

export const CLASSES = ['simple_geometric', 'text_based', 'gradient', 'complex'] as const;
export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);
export const SHA_Q = 'c'.repeat(64);
export const DATASET = 'd'.repeat(64);

export const THRESHOLDS: Thresholds = {
  minAccuracy: 0.95,
  confidence: 0.95,
  maxP95LatencyMs: 100,
  minClassRecall: undefined,
  maxModelSizeBytes: 50 * 1024 * 1024,
  maxAccuracyDrop: 0.01,
  expectedSha256: undefined,
};

export interface ReportOptions {
  readonly n?: number;
  /** Sample indexes predicted wrongly (predicted as the next class). */
  readonly wrong?: ReadonlySet<number> | ((i: number) => boolean);
  readonly version?: string;
  readonly sha256?: string;
  readonly dataset?: string;
  readonly p95?: number;
  readonly latencySamples?: number;
}

/** A report of `n` samples labelled i mod 4 (as svgai's generator does), wrong exactly where told. */
export function makeReport(options: ReportOptions = {}): EvaluationReport {
  const n = options.n ?? 1000;
  const wrongAt = options.wrong ?? new Set<number>();
  const isWrong = typeof wrongAt === 'function' ? wrongAt : (i: number) => wrongAt.has(i);
  const labels = Array.from({ length: n }, (_, i) => i % 4);
  const predictions = labels.map((label, i) => (isWrong(i) ? (label + 1) % 4 : label));
  const matrix = CLASSES.map(() => CLASSES.map(() => 0));
  labels.forEach((label, i) => (matrix[label]![predictions[i]!]! += 1));
  const correct = matrix.reduce((sum, row, i) => sum + row[i]!, 0);
  const perClass = Object.fromEntries(
    CLASSES.map((name, k) => {
      const support = matrix[k]!.reduce((a, b) => a + b, 0);
      const predicted = matrix.reduce((sum, row) => sum + row[k]!, 0);
      const recall = support ? matrix[k]![k]! / support : 0;
      const precision = predicted ? matrix[k]![k]! / predicted : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      return [name, { precision, recall, f1, support }];
    }),
  );
  const sha = options.sha256 ?? SHA_A;
  const p95 = options.p95 ?? 12;
  return {
    schema_version: '1.1',
    created_at: '2026-12-01T12:00:00+00:00',
    model: {
      name: 'logo_classifier',
      version: options.version ?? '1.1.0',
      sha256: sha,
      files: {
        logo_classifier: { file: 'logo_classifier.torchscript', sha256: sha },
        quality_predictor: { file: 'quality_predictor.torchscript', sha256: SHA_Q },
      },
    },
    dataset: { generator_version: '1.1.0', seed: 3000, count: n, sha256: options.dataset ?? DATASET },
    classes: [...CLASSES],
    accuracy: Math.round((correct / n) * 1e4) / 1e4,
    macro_f1: 0.9,
    per_class: perClass,
    confusion_matrix: matrix,
    labels,
    predictions,
    latency_ms: { p50: Math.min(5, p95), p95, p99: p95 + 1, mean: 5, samples: options.latencySamples ?? n, batch_size: 1, threads: 1 },
  };
}

/** The first `count` sample indexes, spread over classes. */
export function firstWrong(count: number): Set<number> {
  return new Set(Array.from({ length: count }, (_, i) => i));
}

export function makeSet(
  options: { version?: string; classifierSha?: string; actualSha?: string; size?: number; formatProblems?: string[] } = {},
): ModelSetFacts {
  const expected = options.classifierSha ?? SHA_A;
  return {
    version: options.version ?? '1.1.0',
    files: [
      {
        model: 'logo_classifier',
        file: 'logo_classifier.torchscript',
        expectedSha256: expected,
        actualSha256: options.actualSha ?? expected,
        size: options.size ?? 200_000,
        formatProblems: options.formatProblems ?? [],
      },
      {
        model: 'quality_predictor',
        file: 'quality_predictor.torchscript',
        expectedSha256: SHA_Q,
        actualSha256: SHA_Q,
        size: 30_000,
        formatProblems: [],
      },
    ],
  };
}
