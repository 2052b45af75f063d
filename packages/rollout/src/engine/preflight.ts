/**
 * Preflight: decide from the plan, the configuration and what the ports observe (weights and lock)
 * whether and where this run starts. Nothing is changed unless the answer is to start, and then
 * only the lock is written.
 */
import { describeWeights, liveColourOf, otherColour, type Colour, type Weights } from '../colours.js';
import { worstCaseDuration } from '../duration.js';
import { errorMessage, formatDuration } from '../format.js';
import { validatePlan, type RolloutPlan } from '../plan.js';
import type { RolloutLock } from '../ports.js';
import { durationAllowances } from './config.js';
import { acquireLock, describeLock } from './lock.js';
import type { Run, RunSetup } from './run.js';
import { rollingBack, type EngineState } from './states.js';

export type PreflightOutcome =
  | { readonly kind: 'start'; readonly run: Run; readonly state: EngineState }
  | { readonly kind: 'stop'; readonly status: 'refused' | 'aborted'; readonly reason: string };

export async function preflight(setup: RunSetup): Promise<PreflightOutcome> {
  const problems = configurationProblems(setup);
  if (problems.length > 0) return refuse(problems.join('; '));

  const { router, state } = setup.ports;
  const weights = await setup.call('read weights', () => router.readWeights());
  const existing = await setup.call('read lock', () => state.read());
  setup.record.update({ weightsBefore: weights });

  if (existing && existing.rolloutId !== setup.config.rolloutId) {
    if (!setup.config.force) {
      return refuse(`the listener is locked by ${describeLock(existing)}; wait for it, or run with force to take it over`);
    }
    setup.ports.logger.warn(`taking over the lock of ${describeLock(existing)}`);
  }
  if (setup.mode === 'deploy') {
    const missing = await missingEvidence(setup, weights);
    if (missing.length > 0) return refuse(missing.join('; '));
  }
  return setup.mode === 'deploy' ? startNew(setup, weights, existing) : continueExisting(setup, weights, existing);
}

/** How far back a user metric must have data for preflight to believe it exists. */
export const METRIC_LOOKBACK_MS = 60 * 60_000;

/**
 * What the analysis will judge must exist before any traffic moves: a misspelt alarm name, or a metric
 * query that matches nothing, would otherwise only be found (as inconclusive or ignored evidence) later.
 * Every named alarm must exist; every user metric must have had data on the live colour within the last
 * hour, unless its check allows it to be empty.
 */
async function missingEvidence(setup: RunSetup, weights: Weights): Promise<string[]> {
  const { metrics, clock } = setup.ports;
  const { analysis } = setup.config;
  const problems: string[] = [];
  const alarms = analysis.alarms ?? [];
  if (alarms.length > 0) {
    const states = await setup.call('read alarms', () => metrics.alarmStates(alarms));
    const missing = alarms.filter((name) => states.find((status) => status.name === name)?.state === undefined);
    if (missing.length > 0) {
      problems.push(
        `no CloudWatch alarm is named ${missing.map((name) => `'${name}'`).join(', ')} (input 'alarms'); check the spelling and the region`,
      );
    }
  }
  const live = liveColourOf(weights);
  if (live === undefined) return problems;
  const end = clock.now() - analysis.publicationDelayMs;
  const window = { start: end - METRIC_LOOKBACK_MS, end };
  for (const check of analysis.userMetrics ?? []) {
    if (check.allowNoData) continue;
    const value = await setup.call(`read metric ${check.name}`, () =>
      metrics.userMetric(check.query, { colour: live, role: 'baseline' }, window),
    );
    if (value === undefined) {
      problems.push(
        `metric check '${check.name}' (input 'metric-checks') has no data on the live colour in the last hour; ` +
          'check its namespace, metric name and dimensions, or set allow-no-data if the new revision publishes it first',
      );
    }
  }
  return problems;
}

/** Everything that can be refused without looking at the world. */
function configurationProblems(setup: RunSetup): string[] {
  const { plan, config, mode, ports } = setup;
  const problems = validatePlan(plan);
  const smokes = plan.steps.some((step) => step.kind === 'smoke');
  if (smokes && !config.smoke) problems.push('the plan has a smoke step but no smoke checks are configured');
  if ((smokes || config.analysis.probe) && !ports.probe) problems.push('smoke checks and probes need a Probe port (a test listener)');
  if (!(config.analysis.minRequests >= 1)) {
    problems.push(`analysis.minRequests is ${config.analysis.minRequests}; it must be 1 or more, or a canary without traffic could pass`);
  }
  problems.push(...ratioProblems(config.analysis));
  if (mode === 'deploy' && config.timeBudgetMs !== undefined && problems.length === 0) {
    const estimate = worstCaseDuration(plan, durationAllowances(config));
    if (estimate.totalMs > config.timeBudgetMs) {
      const parts = estimate.parts.map((part) => `${part.label} ${formatDuration(part.ms, 'second')}`).join(', ');
      problems.push(
        `the rollout could take up to ${formatDuration(estimate.totalMs, 'second')} (${parts}), more than the time budget of ` +
          `${formatDuration(config.timeBudgetMs)}; shorten the bakes or extensions, or raise the budget`,
      );
    }
  }
  return problems;
}

/** A ratio below 1 would fail a canary that is better than its baseline. */
function ratioProblems(analysis: RunSetup['config']['analysis']): string[] {
  const ratios: [string, number | undefined][] = [
    ['analysis.errorRate.maxRatio', analysis.errorRate?.maxRatio],
    ['analysis.latency.maxRatio', analysis.latency?.maxRatio],
    ...(analysis.userMetrics ?? []).map((check): [string, number | undefined] => [
      `analysis.userMetrics ${check.name} maxRatio`,
      check.kind === 'relative' ? check.maxRatio : undefined,
    ]),
  ];
  return ratios
    .filter(([, ratio]) => ratio !== undefined && !(ratio >= 1))
    .map(([name, ratio]) => `${name} is ${ratio}; a ratio to the baseline must be 1 or more (1.5 allows 1.5 times the baseline)`);
}

/** `deploy`: only from a clean 100/0, which names the live (stable) and idle (canary) colours. */
async function startNew(setup: RunSetup, weights: Weights, existing: RolloutLock | undefined): Promise<PreflightOutcome> {
  const live = liveColourOf(weights);
  if (live === undefined) {
    const why = existing
      ? `a rollout is in progress: ${describeLock(existing)}`
      : 'traffic is split, though no rollout is locked (changed by hand?)';
    return refuse(`the production weights are ${describeWeights(weights)}, not a clean 100/0: ${why}; run with mode resume or abort`);
  }
  const { config } = setup;
  const revision = config.revision;
  if (!revision) return refuse('deploy needs the revision to deploy (its image digest)');
  const canary = otherColour(live);
  const lock: RolloutLock = {
    rolloutId: config.rolloutId,
    owner: config.owner,
    ...(config.runUrl ? { runUrl: config.runUrl } : {}),
    targetImage: revision.image,
    ...(revision.modelVersion ? { modelVersion: revision.modelVersion } : {}),
    canaryColour: canary,
    phase: 'deploying',
    stepIndex: 0,
    startedAt: setup.startedAt,
    ...(config.definition !== undefined ? { definition: config.definition } : {}),
  };
  return start(setup, { lock, weights, state: { name: 'deploying' } });
}

/** `resume`, `promote`, `abort`: act on the rollout the lock records (or, for abort, on split weights alone). */
async function continueExisting(setup: RunSetup, weights: Weights, existing: RolloutLock | undefined): Promise<PreflightOutcome> {
  const { mode, config, plan } = setup;
  if (!existing) return continueUnlocked(setup, weights);

  if (mode === 'resume' && config.revision && config.revision.image !== existing.targetImage) {
    return refuse(
      `the rollout in progress deploys ${existing.targetImage}, not ${config.revision.image}; ` +
        'resume with the same revision, or abort it first',
    );
  }
  if (existing.stepIndex >= plan.steps.length) {
    return refuse(
      `the lock records step ${existing.stepIndex + 1} but this plan has ${plan.steps.length} steps; ` +
        'resume with the plan the rollout started with, or abort it',
    );
  }
  const state = stateToContinue(setup, existing);
  if ('refused' in state) return refuse(state.refused);

  const lock: RolloutLock = { ...existing, owner: config.owner, ...(config.runUrl ? { runUrl: config.runUrl } : {}) };
  return start(setup, { lock, weights, state, resumedFrom: existing });
}

function stateToContinue(setup: RunSetup, lock: RolloutLock): EngineState | { refused: string } {
  const { mode, plan, config } = setup;
  if (mode === 'abort') return rollingBack(`abort requested by ${config.owner}`, true);
  if (lock.phase === 'rolling-back') {
    return mode === 'resume'
      ? rollingBack('finishing an interrupted rollback')
      : { refused: 'a rollback is in progress; run resume or abort to finish it' };
  }
  if (lock.phase === 'promoting') return { name: 'promoting' };
  if (lock.phase === 'deploying') {
    if (mode === 'promote') return { refused: 'the new colour is still being deployed; resume the rollout before promoting it' };
    if (!config.revision) return { refused: 'resuming a deployment needs the revision (image, environment) it deploys' };
    return { name: 'deploying' };
  }
  const index = resumeIndex(plan, lock);
  return { name: 'stepping', index: mode === 'promote' ? Math.max(index, lastShiftIndex(plan)) : index };
}

/**
 * Where a resumed rollout picks up. After an approval, at the approval step (now given). Otherwise at the
 * last shift at or before the recorded step: its bake restarts, because a bake judged over a window the
 * crash cut short would be weaker evidence.
 */
export function resumeIndex(plan: RolloutPlan, lock: RolloutLock): number {
  if (lock.phase === 'paused') return lock.stepIndex;
  for (let index = lock.stepIndex; index >= 0; index--) {
    if (plan.steps[index]?.kind === 'shift') return index;
  }
  return lock.stepIndex;
}

function lastShiftIndex(plan: RolloutPlan): number {
  return plan.steps.findLastIndex((step) => step.kind === 'shift');
}

/** `abort` with split weights and no lock: send everything back to the colour that has most of it. */
async function continueUnlocked(setup: RunSetup, weights: Weights): Promise<PreflightOutcome> {
  const { mode, config } = setup;
  const live = liveColourOf(weights);
  if (live !== undefined) {
    const state = `${live} takes all traffic and no rollout is locked`;
    return mode === 'abort'
      ? { kind: 'stop', status: 'aborted', reason: `nothing to abort: ${state}` }
      : refuse(`nothing to ${mode}: ${state}`);
  }
  if (mode !== 'abort') {
    return refuse(
      `the weights are ${describeWeights(weights)} but no rollout is locked, so what to ${mode} is unknown; ` +
        'run abort to send all traffic back to the colour with the most',
    );
  }
  if (weights.blue === weights.green) {
    return refuse(
      `the weights are ${describeWeights(weights)} and no rollout is locked: which colour is stable is unknown; set the weights by hand`,
    );
  }
  const stable: Colour = weights.blue > weights.green ? 'blue' : 'green';
  const lock: RolloutLock = {
    rolloutId: config.rolloutId,
    owner: config.owner,
    ...(config.runUrl ? { runUrl: config.runUrl } : {}),
    targetImage: config.revision?.image ?? 'unknown',
    canaryColour: otherColour(stable),
    phase: 'rolling-back',
    stepIndex: 0,
    startedAt: setup.startedAt,
  };
  return start(setup, { lock, weights, state: rollingBack(`abort requested by ${config.owner}; no rollout was locked`, true) });
}

async function start(
  setup: RunSetup,
  begin: { lock: RolloutLock; weights: Weights; state: EngineState; resumedFrom?: RolloutLock },
): Promise<PreflightOutcome> {
  const { lock, weights, state, resumedFrom } = begin;
  let acquired: Awaited<ReturnType<typeof acquireLock>>;
  try {
    acquired = await acquireLock(setup, lock);
  } catch (error) {
    // Nothing has changed yet: the lock is the first write, so a failure to write it is a refusal, named as such.
    return refuse(`could not take the rollout lock: ${errorMessage(error)}`);
  }
  if (!acquired.acquired) {
    const holder = acquired.holder ? describeLock(acquired.holder) : 'nobody (the lock did not stick)';
    return refuse(`another run took the lock at the same moment: ${holder}`);
  }
  const canary = lock.canaryColour;
  const stable = otherColour(canary);
  setup.record.update({
    rolloutId: lock.rolloutId,
    colours: { stable, canary },
    revision: {
      ...setup.record.revision,
      ...(resumedFrom ? { image: lock.targetImage, modelVersion: lock.modelVersion, taskDefinition: lock.taskDefinition } : {}),
    },
  });
  const shiftedBefore = resumedFrom ? setup.plan.steps.slice(0, resumedFrom.stepIndex).some((step) => step.kind === 'shift') : false;
  const run: Run = {
    ...setup,
    stable,
    canary,
    lock,
    stage: { canaryPercent: weights[canary], startedAt: setup.ports.clock.now() },
    trafficMoved: weights[canary] > 0 || shiftedBefore,
    approvedIndex: resumedFrom?.phase === 'paused' ? resumedFrom.stepIndex : undefined,
  };
  return { kind: 'start', run, state };
}

function refuse(reason: string): PreflightOutcome {
  return { kind: 'stop', status: 'refused', reason };
}
