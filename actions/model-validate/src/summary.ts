/** The job summary's sections, as pure Markdown builders. */
import { markdownTable, type SummarySection } from '@svg-ai-release/action-kit';
import type { AliasChange, PublishedRelease } from '@svg-ai-release/aws/model-registry';
import type { Check, Verdict } from './gate.js';
import type { Judgement } from './judge.js';
import type { EvaluationReport } from './report.js';

const ICON: Readonly<Record<Verdict, string>> = { pass: '✅ pass', fail: '❌ fail', inconclusive: '⚠️ inconclusive' };

export function verdictSection(verdict: Verdict, version: string | undefined, checks: readonly Check[]): SummarySection {
  const failed = checks.filter((c) => c.verdict !== 'pass').map((c) => `\`${c.id}\``);
  return {
    heading: `Verdict: ${ICON[verdict]}${version ? ` (model ${version})` : ''}`,
    body:
      verdict === 'pass'
        ? `All ${checks.length} checks pass.`
        : `${failed.length} of ${checks.length} checks do not pass: ${failed.join(', ')}.` +
          (verdict === 'inconclusive' ? ' The evidence is too thin to tell; an inconclusive gate is not a pass.' : ''),
  };
}

export function checksSection(checks: readonly Check[]): SummarySection {
  return {
    heading: 'Checks',
    body: markdownTable(
      ['check', 'verdict', 'measured', 'threshold', 'detail'],
      checks.map((c) => [`\`${c.id}\``, ICON[c.verdict], c.measured, c.threshold, c.detail]),
    ),
  };
}

export function championSection(
  report: EvaluationReport,
  champion: EvaluationReport,
  judgement: Judgement,
  confidence: number,
): SummarySection | undefined {
  const result = judgement.champion;
  if (!result) return undefined;
  const level = `${Number((confidence * 100).toFixed(2))}% interval`;
  const row = (role: string, r: EvaluationReport, acc: { point: number; lower: number; upper: number }) => [
    role,
    r.model.version,
    r.model.sha256.slice(0, 12),
    acc.point.toFixed(4),
    `[${acc.lower.toFixed(4)}, ${acc.upper.toFixed(4)}]`,
    `${r.latency_ms.p95} ms`,
  ];
  const rows = [row('challenger', report, result.challengerAccuracy), row('champion', champion, result.championAccuracy)];
  const comparison = result.comparison
    ? `\n\nPaired on ${result.comparison.n} samples of dataset \`${report.dataset.sha256.slice(0, 12)}\`: accuracy difference ` +
      `${result.check.measured}. Verdict: ${ICON[result.check.verdict]}.`
    : `\n\n${result.check.detail}`;
  return {
    heading: 'Champion against challenger',
    body: markdownTable(['role', 'version', 'sha256', 'accuracy', level, 'p95 latency'], rows) + comparison,
  };
}

export function confusionSection(report: EvaluationReport): SummarySection {
  const rows = report.classes.map((name, i) => [`**${name}**`, ...report.confusion_matrix[i]!, report.per_class[name]?.recall.toFixed(4)]);
  return {
    heading: `Confusion matrix (${report.dataset.count} samples, seed ${report.dataset.seed})`,
    body: markdownTable(['true class / predicted', ...report.classes, 'recall'], rows),
  };
}

export function publishSection(release: PublishedRelease, consoleLink: (key: string) => string, recordUri: string): SummarySection {
  const rows = Object.entries(release.record.objects).map(([name, o]) => [
    `[${name}](${consoleLink(o.key)})`,
    o.versionId,
    o.sha256.slice(0, 12),
    o.size,
  ]);
  return {
    heading: `Published ${release.record.model} ${release.record.version}`,
    body: `Release record: \`${recordUri}\` (VersionId \`${release.recordVersionId}\`), approval \`${release.record.approval}\`.\n\n${markdownTable(['file', 'VersionId', 'sha256', 'bytes'], rows)}`,
  };
}

export function aliasSection(change: AliasChange, action: 'promote' | 'rollback'): SummarySection {
  const rows = Object.entries(change.to.versionIds).map(([name, id]) => [name, id]);
  const moved =
    change.from === change.to.version
      ? `already named ${change.to.version}: unchanged`
      : `${change.from ?? '(none)'} → ${change.to.version}`;
  return {
    heading: `${action === 'promote' ? 'Promoted' : 'Rolled back'} ${change.to.model}: production ${moved}`,
    body: `Alias VersionId \`${change.versionId}\`, ETag \`${change.etag}\`; earlier versions: ${change.to.history.join(', ') || '(none)'}.\n\n${markdownTable(['file', 'VersionId'], rows)}`,
  };
}
