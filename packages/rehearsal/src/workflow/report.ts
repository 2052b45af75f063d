/** A workflow run told as the run page would: a timeline of jobs and steps, each job's summary, and what was simulated. */
import type { JobRecord, StepRecord, WorkflowRun } from './runner.js';

const MARK: Record<string, string> = { success: '✓', failure: '✗', skipped: '–', cancelled: '⊘' };

const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)}s`;

function jobLine(job: JobRecord, origin: number): string {
  const depth = job.path.split('/').length - 1;
  const extra = [
    job.leftOut ? 'left out' : undefined,
    job.environment ? `environment ${job.environment}${job.approval ? ` (approval ${job.approval})` : ''}` : undefined,
    job.reason && !job.leftOut ? job.reason : undefined,
  ].filter(Boolean);
  return `${'  '.repeat(depth)}${MARK[job.conclusion] ?? '?'} job ${job.path} — ${job.name}  [+${seconds(origin, job.startedAt)}, ${seconds(job.startedAt, job.finishedAt)}]${extra.length ? `  ${extra.join('; ')}` : ''}`;
}

function stepLine(step: StepRecord, depth: number): string {
  const kind =
    step.kind === 'equivalent'
      ? `simulated by ${step.simulatedBy}`
      : step.kind === 'action'
        ? 'our action, real'
        : step.kind === 'post'
          ? 'post step, real'
          : 'run, real';
  return `${'  '.repeat(depth + 1)}${MARK[step.conclusion] ?? '?'} ${step.name}  (${kind}, ${seconds(step.startedAt, step.finishedAt)})${step.note ? ` — ${step.note}` : ''}`;
}

export function renderTimeline(run: WorkflowRun): string {
  const lines = [`${run.workflow}: ${run.conclusion} in ${seconds(run.startedAt, run.finishedAt)}`];
  // Callers end after their called jobs: show each caller before the jobs it called.
  const ordered = [...run.jobs].sort((a, b) => a.startedAt - b.startedAt || a.path.split('/').length - b.path.split('/').length);
  for (const job of ordered) {
    lines.push(jobLine(job, run.startedAt));
    for (const step of job.steps) lines.push(stepLine(step, job.path.split('/').length - 1));
  }
  return lines.join('\n');
}

export function renderSummaries(run: WorkflowRun): string {
  const parts = run.jobs.filter((j) => j.summary.trim()).map((j) => `--- ${j.path}\n${j.summary.trim()}`);
  return parts.length ? parts.join('\n\n') : '(no job wrote a summary)';
}

/** What was real and what stood in for something, so nobody mistakes the rehearsal for more than it is. */
export function renderSimulated(run: WorkflowRun): string {
  const simulated = new Map<string, string>();
  const real = new Set<string>();
  for (const job of run.jobs)
    for (const step of job.steps) {
      if (step.kind === 'equivalent') simulated.set(step.uses ?? step.name, step.simulatedBy ?? '');
      else if (step.kind === 'action' && step.conclusion !== 'skipped' && step.uses) real.add(`${step.uses} (committed bundle)`);
    }
  const leftOut = run.jobs.filter((j) => j.leftOut).map((j) => j.path);
  const approvals = run.jobs.filter((j) => j.approval && j.approval !== 'not required').map((j) => `${j.environment}: ${j.approval}`);
  return [
    `real: ${[...real].join(', ') || 'no action of ours ran'}; every run: step in bash; the AWS APIs and traffic on the stand-in`,
    `simulated: ${[...simulated].map(([uses, by]) => `${uses.replace(/@[0-9a-f]{40}$/, '')} → ${by}`).join('; ') || 'nothing'}`,
    `left out: ${leftOut.join(', ') || 'nothing'}`,
    `approvals: ${approvals.join(', ') || 'none asked'}`,
  ].join('\n');
}

/** Every `deployment-record` output the run produced, by the job that produced it. */
export function deploymentRecords(run: WorkflowRun): { job: string; record: unknown }[] {
  const found: { job: string; record: unknown }[] = [];
  for (const job of run.jobs) {
    const raw = job.steps.map((s) => s.outputs['deployment-record']).find((value) => value);
    if (raw) found.push({ job: job.path, record: JSON.parse(raw) as unknown });
  }
  return found;
}
