import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseReport, ReportError } from '../src/report.js';
import { EVALUATION_REPORT_SCHEMA } from '../src/report-schema.js';
import { firstWrong, makeReport } from './fixtures.js';

const schemaFile = fileURLToPath(new URL('../../../service/schemas/evaluation-report.schema.json', import.meta.url));

function problemsOf(text: string): readonly string[] {
  try {
    parseReport('report.json', text);
  } catch (error) {
    if (error instanceof ReportError) return error.problems;
    throw error;
  }
  throw new Error('the report was accepted');
}

type Mutable = Record<string, unknown> & {
  latency_ms: Record<string, unknown>;
  model: Record<string, unknown>;
  dataset: Record<string, unknown>;
};
const mutated = (change: (r: Mutable) => void) => {
  const report = JSON.parse(JSON.stringify(makeReport({ n: 200, wrong: firstWrong(8) }))) as Mutable;
  change(report);
  return JSON.stringify(report);
};

describe('the bundled schema', () => {
  it('is exactly service/schemas/evaluation-report.schema.json', () => {
    expect(EVALUATION_REPORT_SCHEMA).toEqual(JSON.parse(readFileSync(schemaFile, 'utf8')));
  });
});

describe('parseReport', () => {
  it('accepts a consistent report', () => {
    expect(parseReport('r.json', JSON.stringify(makeReport())).dataset.count).toBe(1000);
  });

  it.each([
    ['a missing accuracy', (r: Mutable) => delete r['accuracy'], 'the report is missing accuracy'],
    ['a missing p95', (r: Mutable) => delete r.latency_ms['p95'], 'latency_ms is missing p95'],
    ['missing predictions', (r: Mutable) => delete r['predictions'], 'the report is missing predictions'],
    ['an accuracy above 1', (r: Mutable) => (r['accuracy'] = 1.5), 'accuracy must be <= 1'],
    ['a malformed sha256', (r: Mutable) => (r.model['sha256'] = 'abc'), 'model.sha256 must match pattern'],
    ['zero samples', (r: Mutable) => (r.dataset['count'] = 0), 'dataset.count must be >= 1'],
    ['a negative latency', (r: Mutable) => (r.latency_ms['p95'] = -1), 'latency_ms.p95 must be >= 0'],
    ['an unknown field', (r: Mutable) => (r['extra'] = 1), 'the report has unknown field extra'],
    ['a bad timestamp', (r: Mutable) => (r['created_at'] = 'yesterday'), 'created_at must match format "date-time"'],
  ])('names %s', (_name, change, problem) => {
    expect(problemsOf(mutated(change)).join('\n')).toContain(problem);
  });

  it('names every missing field at once', () => {
    const problems = problemsOf(mutated((r) => (delete r['accuracy'], delete r['classes'])));
    expect(problems).toEqual(expect.arrayContaining(['the report is missing accuracy', 'the report is missing classes']));
  });

  it.each([
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
  ])('refuses %s, which Python writes but JSON does not allow', (_name, token) => {
    const text = mutated(() => {}).replace(/"accuracy": ?[0-9.]+/, `"accuracy": ${token}`);
    expect(problemsOf(text)[0]).toMatch(new RegExp(`holds ${token}, which is not a number in JSON`));
  });

  it('refuses text that is not JSON', () => expect(problemsOf('{"schema_version"')[0]).toMatch(/is not JSON/));

  it('refuses another schema version, saying which it reads', () => {
    expect(problemsOf(mutated((r) => (r['schema_version'] = '1.0')))[0]).toMatch(
      /schema_version "1.0" is not supported \(this gate reads 1.1\)/,
    );
  });

  it.each([
    [
      'a confusion matrix that is not labels against predictions',
      (r: Mutable) => ((r['confusion_matrix'] as number[][])[0]![0]! += 1),
      'confusion_matrix does not match labels against predictions',
    ],
    ['an accuracy that is not the diagonal', (r: Mutable) => (r['accuracy'] = 0.5), 'accuracy 0.5 is not the confusion matrix'],
    ['labels of another length', (r: Mutable) => (r['labels'] as number[]).pop(), 'labels has 199 entries but dataset.count is 200'],
    ['a class index out of range', (r: Mutable) => ((r['predictions'] as number[])[0] = 7), 'class index 7 is outside the 4 classes'],
    [
      'a per-class entry missing',
      (r: Mutable) => delete (r['per_class'] as Record<string, unknown>)['gradient'],
      'per_class is missing gradient',
    ],
    ['unordered percentiles', (r: Mutable) => (r.latency_ms['p99'] = 1), 'latency_ms percentiles are not ordered'],
  ])('refuses %s', (_name, change, problem) => {
    expect(problemsOf(mutated(change)).join('\n')).toContain(problem);
  });

  it('refuses a class with no samples', () => {
    const text = mutated((r) => {
      const labels = (r['labels'] as number[]).map((l) => (l === 2 ? 0 : l));
      const predictions = labels.slice();
      const matrix = [0, 1, 2, 3].map((t) => [0, 1, 2, 3].map((p) => labels.filter((l, i) => l === t && predictions[i] === p).length));
      Object.assign(r, { labels, predictions, confusion_matrix: matrix, accuracy: 1 });
      const perClass = r['per_class'] as Record<string, { support: number }>;
      perClass['simple_geometric']!.support = 100;
      perClass['gradient']!.support = 0;
    });
    expect(problemsOf(text)).toContain('class gradient has no samples in the evaluation set: it cannot be judged');
  });
});
