/**
 * The gate's decisions, as pure functions of the reports, the model set's facts and the thresholds.
 *
 * Every check has three outcomes. It passes only when the evidence clears the bar (an interval's bound, not
 * a point estimate); it fails when the measurement itself misses the bar (or something is wrong: a file,
 * a mismatch); it is inconclusive when the measurement looks good but the sample is too small to prove it.
 * The verdict is the worst of the checks: fail over inconclusive over pass. Inconclusive is never a pass.
 */
import type { EvaluationReport } from './report.js';
import { comparePaired, pairedCounts, wilsonInterval, type Interval, type PairedComparison } from './stats.js';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface Check {
  /** Stable identifier, e.g. `accuracy`, `recall:gradient`, `integrity:manifest.json`. */
  readonly id: string;
  readonly verdict: Verdict;
  /** What was measured, as shown (`0.9700 [0.9592, 0.9780] on 1000`). */
  readonly measured: string;
  /** The bar, as shown (`lower bound ≥ 0.95`). */
  readonly threshold: string;
  /** Why, in a sentence that says what to do when it is not a pass. */
  readonly detail: string;
}

export interface Thresholds {
  readonly minAccuracy: number;
  readonly confidence: number;
  readonly maxP95LatencyMs: number;
  readonly minClassRecall: number | undefined;
  readonly maxModelSizeBytes: number;
  readonly maxAccuracyDrop: number;
  readonly expectedSha256: string | undefined;
}

/** Fewer latency samples than this and p95 is little more than the slowest one. */
export const MIN_LATENCY_SAMPLES = 20;

export function overallVerdict(checks: readonly Check[]): Verdict {
  if (checks.some((check) => check.verdict === 'fail')) return 'fail';
  if (checks.some((check) => check.verdict === 'inconclusive')) return 'inconclusive';
  return checks.length === 0 ? 'inconclusive' : 'pass';
}

/** A proportion judged on its Wilson lower bound. */
export function proportionCheck(id: string, what: string, successes: number, n: number, bar: number, confidence: number): Check {
  const point = successes / n;
  const interval = wilsonInterval(successes, n, confidence);
  const measured = `${fixed(point)} [${fixed(interval.lower)}, ${fixed(interval.upper)}] (${successes}/${n})`;
  const threshold = `${pct(confidence)} lower bound ≥ ${bar}`;
  if (interval.lower >= bar) {
    return { id, verdict: 'pass', measured, threshold, detail: `${what} is at least ${bar} with ${pct(confidence)} confidence` };
  }
  if (point < bar) {
    return { id, verdict: 'fail', measured, threshold, detail: `${what} ${fixed(point)} is below ${bar}: the model does not meet the bar` };
  }
  return {
    id,
    verdict: 'inconclusive',
    measured,
    threshold,
    detail: `${what} ${fixed(point)} looks above ${bar}, but ${n} samples cannot show it (lower bound ${fixed(interval.lower)}); evaluate on a larger set`,
  };
}

export function accuracyCheck(report: EvaluationReport, t: Thresholds): Check {
  const correct = report.confusion_matrix.reduce((sum, row, i) => sum + row[i]!, 0);
  return proportionCheck('accuracy', 'accuracy', correct, report.dataset.count, t.minAccuracy, t.confidence);
}

export function recallChecks(report: EvaluationReport, t: Thresholds): Check[] {
  if (t.minClassRecall === undefined) return [];
  const floor = t.minClassRecall;
  return report.classes.map((name, i) => {
    const row = report.confusion_matrix[i]!;
    return proportionCheck(
      `recall:${name}`,
      `recall of ${name}`,
      row[i]!,
      row.reduce((a, b) => a + b, 0),
      floor,
      t.confidence,
    );
  });
}

export function latencyCheck(report: EvaluationReport, t: Thresholds): Check {
  const { p95, samples } = report.latency_ms;
  const threads = report.latency_ms.threads;
  const measured = `p95 ${p95} ms over ${samples} samples${threads ? ` at ${threads} thread${threads === 1 ? '' : 's'}` : ''}`;
  const threshold = `p95 ≤ ${t.maxP95LatencyMs} ms`;
  if (p95 > t.maxP95LatencyMs) {
    return {
      id: 'latency-p95',
      verdict: 'fail',
      measured,
      threshold,
      detail: `p95 latency ${p95} ms is over ${t.maxP95LatencyMs} ms: the model is too slow to serve`,
    };
  }
  if (samples < MIN_LATENCY_SAMPLES) {
    return {
      id: 'latency-p95',
      verdict: 'inconclusive',
      measured,
      threshold,
      detail: `${samples} latency samples are too few for a p95 (at least ${MIN_LATENCY_SAMPLES}); evaluate on a larger set`,
    };
  }
  return { id: 'latency-p95', verdict: 'pass', measured, threshold, detail: `p95 latency is within ${t.maxP95LatencyMs} ms` };
}

export interface ModelFileFacts {
  /** The manifest's name for the model, e.g. `logo_classifier`. */
  readonly model: string;
  readonly file: string;
  readonly expectedSha256: string;
  /** undefined when the file is missing. */
  readonly actualSha256: string | undefined;
  readonly size: number | undefined;
  /** Problems found by the TorchScript inspection; empty when it is a clean TorchScript archive. */
  readonly formatProblems: readonly string[];
}

export interface ModelSetFacts {
  readonly version: string;
  readonly files: readonly ModelFileFacts[];
}

export function integrityChecks(set: ModelSetFacts): Check[] {
  return set.files.flatMap((f) => {
    const id = `integrity:${f.file}`;
    if (f.actualSha256 === undefined) {
      return [
        {
          id,
          verdict: 'fail' as const,
          measured: 'missing',
          threshold: `sha256 ${short(f.expectedSha256)}`,
          detail: `${f.file} (${f.model}) is in the manifest but not in the model directory`,
        },
      ];
    }
    const shaOk = f.actualSha256 === f.expectedSha256;
    const checks: Check[] = [
      {
        id,
        verdict: shaOk ? 'pass' : 'fail',
        measured: `sha256 ${short(f.actualSha256)}`,
        threshold: `sha256 ${short(f.expectedSha256)}`,
        detail: shaOk
          ? `${f.file} is the file the manifest pins`
          : `${f.file} differs from the manifest (sha256 ${f.actualSha256}, manifest ${f.expectedSha256}): the file was changed or corrupted; re-export the model set`,
      },
    ];
    checks.push({
      id: `torchscript:${f.file}`,
      verdict: f.formatProblems.length === 0 ? 'pass' : 'fail',
      measured: f.formatProblems.length === 0 ? 'TorchScript archive' : 'refused',
      threshold: 'TorchScript only, no pickled code',
      detail: f.formatProblems.length === 0 ? `${f.file} is a TorchScript archive` : `${f.file} ${f.formatProblems.join('; ')}`,
    });
    return checks;
  });
}

export function sizeChecks(set: ModelSetFacts, t: Thresholds): Check[] {
  return set.files
    .filter((f) => f.size !== undefined)
    .map((f) => ({
      id: `size:${f.file}`,
      verdict: f.size! <= t.maxModelSizeBytes ? ('pass' as const) : ('fail' as const),
      measured: bytes(f.size!),
      threshold: `≤ ${bytes(t.maxModelSizeBytes)}`,
      detail:
        f.size! <= t.maxModelSizeBytes
          ? `${f.file} fits the size limit`
          : `${f.file} is ${bytes(f.size!)}, over the ${bytes(t.maxModelSizeBytes)} limit`,
    }));
}

/** The report must be about exactly the model set given (same version, same files), and the pinned sha256. */
export function identityCheck(report: EvaluationReport, set: ModelSetFacts, t: Thresholds): Check {
  const problems: string[] = [];
  if (report.model.version !== set.version)
    problems.push(`the report is for version ${report.model.version}, the model set is ${set.version}`);
  const classifier = set.files.find((f) => f.model === report.model.name);
  if (!classifier) problems.push(`the report is for model ${report.model.name}, which the manifest does not list`);
  else if (report.model.sha256 !== classifier.expectedSha256) {
    problems.push(
      `the report's ${report.model.name} sha256 ${short(report.model.sha256)} is not the manifest's ${short(classifier.expectedSha256)}`,
    );
  }
  for (const [name, entry] of Object.entries(report.model.files)) {
    const fact = set.files.find((f) => f.model === name);
    if (!fact) problems.push(`the report names ${name}, which the manifest does not list`);
    else if (fact.expectedSha256 !== entry.sha256)
      problems.push(`the report's ${name} sha256 ${short(entry.sha256)} is not the manifest's ${short(fact.expectedSha256)}`);
  }
  if (t.expectedSha256 !== undefined && report.model.sha256 !== t.expectedSha256) {
    problems.push(`the report's ${report.model.name} sha256 ${short(report.model.sha256)} is not the expected ${short(t.expectedSha256)}`);
  }
  return {
    id: 'model-identity',
    verdict: problems.length === 0 ? 'pass' : 'fail',
    measured: `${report.model.name} ${report.model.version} ${short(report.model.sha256)}`,
    threshold: `the model set given (${set.version})`,
    detail:
      problems.length === 0 ? 'the report judges exactly this model set' : `${problems.join('; ')}: evaluate the model set you release`,
  };
}

export interface ChampionResult {
  readonly check: Check;
  readonly comparison: PairedComparison | undefined;
  readonly championAccuracy: Interval & { readonly point: number };
  readonly challengerAccuracy: Interval & { readonly point: number };
}

/** The challenger against the production model, paired on the same samples; refused on different sets. */
export function championCheck(challenger: EvaluationReport, champion: EvaluationReport, t: Thresholds): ChampionResult {
  const accuracyOf = (r: EvaluationReport) => {
    const correct = r.confusion_matrix.reduce((sum, row, i) => sum + row[i]!, 0);
    return { point: correct / r.dataset.count, ...wilsonInterval(correct, r.dataset.count, t.confidence) };
  };
  const base = { championAccuracy: accuracyOf(champion), challengerAccuracy: accuracyOf(challenger) };
  const threshold = `${pct(t.confidence)} interval of the difference ≥ −${t.maxAccuracyDrop}`;
  const refusal = (detail: string): ChampionResult => ({
    ...base,
    comparison: undefined,
    check: { id: 'champion', verdict: 'fail', measured: 'not comparable', threshold, detail },
  });
  if (champion.dataset.sha256 !== challenger.dataset.sha256) {
    return refusal(
      `the champion was evaluated on dataset ${short(champion.dataset.sha256)} (seed ${champion.dataset.seed}, ${champion.dataset.count} samples), the challenger on ${short(challenger.dataset.sha256)} (seed ${challenger.dataset.seed}, ${challenger.dataset.count} samples): refused, compare on the same evaluation set`,
    );
  }
  if (JSON.stringify(champion.classes) !== JSON.stringify(challenger.classes)) {
    return refusal(
      `the champion's classes (${champion.classes.join(', ')}) are not the challenger's (${challenger.classes.join(', ')}): refused`,
    );
  }
  if (JSON.stringify(champion.labels) !== JSON.stringify(challenger.labels)) {
    return refusal(
      'the two reports give different labels for the same dataset hash: refused, one of them is not what svgai.evaluate wrote',
    );
  }
  if (champion.model.sha256 === challenger.model.sha256) {
    return refusal('the champion and the challenger are the same model file: compare against the model in production');
  }
  const comparison = comparePaired(pairedCounts(challenger.labels, challenger.predictions, champion.predictions), t.confidence);
  const { difference, interval } = comparison;
  const measured = `${signed(difference)} [${signed(interval.lower)}, ${signed(interval.upper)}] (challenger-only ${comparison.challengerOnly}, champion-only ${comparison.championOnly}, McNemar p ${comparison.pValue.toPrecision(3)})`;
  const margin = -t.maxAccuracyDrop;
  let check: Check;
  if (interval.lower >= margin) {
    check = {
      id: 'champion',
      verdict: 'pass',
      measured,
      threshold,
      detail: `the challenger is no more than ${t.maxAccuracyDrop} less accurate than the champion, with ${pct(t.confidence)} confidence`,
    };
  } else if (difference < margin) {
    check = {
      id: 'champion',
      verdict: 'fail',
      measured,
      threshold,
      detail: `the challenger is ${fixed(-difference)} less accurate than the champion (allowed: ${t.maxAccuracyDrop}): it regresses`,
    };
  } else {
    check = {
      id: 'champion',
      verdict: 'inconclusive',
      measured,
      threshold,
      detail: `${comparison.n} paired samples cannot tell the two models apart within ${t.maxAccuracyDrop}; evaluate both on a larger set`,
    };
  }
  return { ...base, comparison, check };
}

const fixed = (value: number) => value.toFixed(4);
const signed = (value: number) => (value >= 0 ? `+${value.toFixed(4)}` : value.toFixed(4));
const pct = (confidence: number) => `${Number((confidence * 100).toFixed(2))}%`;
const short = (sha: string) => sha.slice(0, 12);

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
