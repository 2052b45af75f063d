/**
 * Pure rendering of a deployment record's step table, as Markdown (job summary) and plain text
 * (logs, the rehearsal). One row per step: weight, duration, requests, canary vs baseline error
 * rate and p95, verdict.
 */
import { formatDuration, markdownTable, textTable } from './format.js';
import type { DeploymentRecord, RollbackRecord, SideFigures, StepRecord } from './engine/record.js';

const HEADERS = [
  'step',
  'weight',
  'duration',
  'requests (canary / baseline)',
  'error rate (canary vs baseline)',
  'p95 (canary vs baseline)',
  'verdict',
];

export function stepRows(record: DeploymentRecord): string[][] {
  const steps = record.steps.map((step) => [
    `${step.index + 1}. ${stepName(step)}`,
    `${step.canaryPercent}%`,
    step.durationMs === undefined ? 'running' : formatDuration(step.durationMs, 'second'),
    pair(step, (side) => (side.requests === undefined ? '–' : String(side.requests)), ' / '),
    pair(step, (side) => (side.errorRate === undefined ? '–' : `${(side.errorRate * 100).toFixed(2)}%`), ' vs '),
    pair(step, (side) => (side.p95Ms === undefined ? '–' : `${Math.round(side.p95Ms)} ms`), ' vs '),
    verdictCell(step),
  ]);
  return record.rollback ? [...steps, rollbackRow(record.rollback)] : steps;
}

/** The rollback as a last row: its duration is the time from the decision to a clean state. */
function rollbackRow(rollback: RollbackRecord): string[] {
  const duration = rollback.finishedAt
    ? formatDuration(Date.parse(rollback.finishedAt) - Date.parse(rollback.startedAt), 'second')
    : 'running';
  const restored = rollback.weightsRestoredAt
    ? `weights restored after ${formatDuration(Date.parse(rollback.weightsRestoredAt) - Date.parse(rollback.startedAt), 'second')}`
    : 'weights not restored';
  return ['rollback', '0%', duration, '', '', '', restored];
}

export function renderMarkdownReport(record: DeploymentRecord): string {
  const table = markdownTable(HEADERS, stepRows(record));
  return [`**${headline(record)}**`, ...(record.reason ? [`> ${record.reason}`] : []), '', table].join('\n');
}

export function renderTextReport(record: DeploymentRecord): string {
  return [headline(record), ...(record.reason ? [record.reason] : []), '', textTable(HEADERS, stepRows(record))].join('\n');
}

function headline(record: DeploymentRecord): string {
  const image = record.revision.image ?? 'unknown image';
  const colours = record.colours ? ` (${record.colours.stable} → ${record.colours.canary})` : '';
  return `${record.strategy} rollout ${record.rolloutId} of ${image}${colours}: ${record.status}`;
}

function stepName(step: StepRecord): string {
  const extensions = step.extensions ? `, extended ×${step.extensions}` : '';
  const analyses = step.analyses ? ` (${step.analyses} ${step.analyses === 1 ? 'analysis' : 'analyses'}${extensions})` : '';
  return `${step.kind}${analyses}`;
}

function pair(step: StepRecord, show: (side: SideFigures) => string, separator: string): string {
  if (!step.canary && !step.baseline) return '';
  return [step.canary, step.baseline].map((side) => (side ? show(side) : '–')).join(separator);
}

function verdictCell(step: StepRecord): string {
  if (!step.verdict) return step.reason ?? '';
  return step.verdict === 'pass' || !step.reason ? step.verdict : `${step.verdict}: ${step.reason}`;
}
