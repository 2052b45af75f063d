/** One judgement: a report and a model set (and maybe a champion) in, every check and the verdict out. */
import {
  accuracyCheck,
  championCheck,
  identityCheck,
  integrityChecks,
  latencyCheck,
  overallVerdict,
  recallChecks,
  sizeChecks,
  type ChampionResult,
  type Check,
  type Thresholds,
  type Verdict,
} from './gate.js';
import type { ModelSetFacts } from './gate.js';
import type { EvaluationReport } from './report.js';

export interface Judgement {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly champion: ChampionResult | undefined;
}

export function judge(report: EvaluationReport, set: ModelSetFacts, thresholds: Thresholds, champion?: EvaluationReport): Judgement {
  const championResult = champion ? championCheck(report, champion, thresholds) : undefined;
  const checks: Check[] = [
    identityCheck(report, set, thresholds),
    ...integrityChecks(set),
    ...sizeChecks(set, thresholds),
    accuracyCheck(report, thresholds),
    ...recallChecks(report, thresholds),
    latencyCheck(report, thresholds),
    ...(championResult ? [championResult.check] : []),
  ];
  return { verdict: overallVerdict(checks), checks, champion: championResult };
}

/** A check for a report that could not be read at all: the verdict is fail, with the reason. */
export function unreadableReport(file: string, problems: readonly string[]): Check {
  return {
    id: 'report',
    verdict: 'fail',
    measured: 'unreadable',
    threshold: 'a valid evaluation report',
    detail: `${file}: ${problems.join('; ')}`,
  };
}
