/**
 * The rollout engine: preflight, then a loop over explicit states until the rollout is finished.
 * Each state's handler (engine/*.ts) returns the next state; errors thrown by ports become a
 * rollback, cancellation becomes an abort, and the result is always a deployment record.
 */
import { liveColourOf, type Weights } from './colours.js';
import type { RolloutConfig, RolloutMode } from './engine/config.js';
import { durationAllowances, resolveConfig } from './engine/config.js';
import { deploy } from './engine/deploy.js';
import { LockLost } from './engine/lock.js';
import { preflight } from './engine/preflight.js';
import { promote } from './engine/promote.js';
import { RecordBuilder, type DeploymentRecord, type RolloutStatus } from './engine/record.js';
import { rollBack } from './engine/rollback.js';
import { createSetup, type Run, type RunSetup } from './engine/run.js';
import { finished, isForward, rollingBack, type EngineState } from './engine/states.js';
import { runStep } from './engine/steps.js';
import { rollbackReserveMs } from './duration.js';
import { errorMessage, formatDuration } from './format.js';
import type { RolloutPlan } from './plan.js';
import type { RolloutPorts } from './ports.js';

export interface RunRolloutOptions {
  readonly plan: RolloutPlan;
  readonly ports: RolloutPorts;
  readonly config: RolloutConfig;
  readonly mode: RolloutMode;
  /** Aborting it (job cancelled, SIGTERM) rolls the rollout back. */
  readonly signal?: AbortSignal;
}

export async function runRollout(options: RunRolloutOptions): Promise<DeploymentRecord> {
  const config = resolveConfig(options.config);
  const { plan, ports, mode } = options;
  const record = new RecordBuilder(
    {
      rolloutId: config.rolloutId,
      strategy: plan.strategy,
      mode,
      owner: config.owner,
      ...(config.runUrl ? { runUrl: config.runUrl } : {}),
      revision: { image: config.revision?.image, modelVersion: config.revision?.modelVersion },
    },
    () => ports.clock.now(),
  );
  const setup = createSetup({ plan, config, ports, mode, record, signal: options.signal ?? new AbortController().signal });

  const outcome = await ports.logger.group('Preflight', () => safePreflight(setup));
  if (outcome.kind === 'stop') {
    // A refusal changed nothing: the caller reports it once (an action through its failure funnel), so
    // the log says it without raising a second error of the same words.
    ports.logger.info(outcome.status === 'refused' ? `refused: ${outcome.reason}` : outcome.reason);
    return finish(setup, { status: outcome.status, reason: outcome.reason });
  }
  const { run } = outcome;
  let state = outcome.state;
  while (state.name !== 'finished') {
    const current = state;
    state = await ports.logger.group(title(run, current), () => advance(run, current));
  }
  ports.logger.info(`rollout ${run.lock.rolloutId}: ${state.status}${state.reason ? ` (${state.reason})` : ''}`);
  return finish(run, state);
}

async function safePreflight(setup: RunSetup): ReturnType<typeof preflight> {
  try {
    return await preflight(setup);
  } catch (error) {
    return { kind: 'stop', status: 'refused', reason: `preflight could not read the current state: ${errorMessage(error)}` };
  }
}

async function advance(run: Run, state: Exclude<EngineState, { name: 'finished' }>): Promise<EngineState> {
  if (isForward(state)) {
    if (run.signal.aborted) return rollingBack('the job was cancelled', true);
    const budget = run.config.timeBudgetMs;
    const reserve = rollbackReserveMs(durationAllowances(run.config));
    if (budget !== undefined && run.ports.clock.now() - run.startedAt > budget - reserve) {
      return rollingBack(
        `the time budget of ${formatDuration(budget)} is running out (keeping ${formatDuration(reserve, 'second')} to roll back)`,
      );
    }
  }
  try {
    switch (state.name) {
      case 'deploying':
        return await deploy(run);
      case 'stepping':
        return await runStep(run, state.index);
      case 'promoting':
        return await promote(run);
      case 'rolling-back':
        return await rollBack(run, state.cause);
    }
  } catch (error) {
    if (isForward(state) && !(error instanceof LockLost)) return rollingBack(`${title(run, state)} failed: ${errorMessage(error)}`);
    // Another run owning the rollout now, or a failure after the judging is over: touching the
    // weights would fight that run or undo a good promotion, so stop and leave the lock for a re-run.
    const reason =
      error instanceof LockLost
        ? `stopped: ${error.message}`
        : `${title(run, state)} failed: ${errorMessage(error)}; run again with mode resume or abort`;
    run.ports.logger.error(reason);
    return finished('incomplete', reason);
  }
}

function title(run: Run, state: EngineState): string {
  switch (state.name) {
    case 'deploying':
      return `Deploy ${run.lock.targetImage} to ${run.canary}`;
    case 'stepping': {
      const step = run.plan.steps[state.index];
      const what =
        step?.kind === 'shift'
          ? `shift to ${step.canaryPercent}%`
          : step?.kind === 'bake'
            ? `bake ${formatDuration(step.durationMs)}`
            : step?.kind;
      return `Step ${state.index + 1} of ${run.plan.steps.length}: ${what}`;
    }
    case 'promoting':
      return `Promote ${run.canary}`;
    case 'rolling-back':
      return `Roll back to ${run.stable}`;
    case 'finished':
      return state.status;
  }
}

/** Reads the weights one last time for the record; a failure to read them is noted, never fatal. */
async function finish(setup: RunSetup, state: { status: RolloutStatus; reason?: string }): Promise<DeploymentRecord> {
  let weightsAfter: Weights | undefined;
  try {
    weightsAfter = await setup.call('read final weights', () => setup.ports.router.readWeights());
  } catch (error) {
    setup.ports.logger.warn(`could not read the final weights for the record: ${errorMessage(error)}`);
  }
  return setup.record.finish(state.status, state.reason, weightsAfter, weightsAfter && liveColourOf(weightsAfter));
}
