/**
 * The life of a canary or blue-green action step, shared by both: the main phase runs the rollout
 * on AWS with cancellation wired to an abort; the post phase (which the runner runs even when the
 * job is cancelled) rolls back a rollout that the main phase could not settle, e.g. because it was
 * killed. Failures are thrown to the action's single failure funnel.
 */
import * as core from '@actions/core';
import { createAwsRollout, systemClock, TopologyError, type UserMetricQuery } from '@svg-ai-release/aws';
import { InputError, type DeployTarget } from '@svg-ai-release/action-kit';
import {
  runRollout,
  type AnalysisConfig,
  type DeploymentRecord,
  type RolloutMode,
  type RolloutPlan,
  type SmokeConfig,
} from '@svg-ai-release/rollout';
import { consoleLinks } from './console-links.js';
import { runContext } from './context.js';
import { runnerLogger } from './logger.js';
import { publishOutputs, publishSummary, SETTLED } from './results.js';
import { TOPOLOGY_INPUTS } from './rollout-inputs.js';
import { revisionSpec } from './revision.js';
import { abortOnSignals } from './signals.js';

export interface DeploySpec {
  readonly target: DeployTarget;
  readonly plan: RolloutPlan;
  readonly analysis: AnalysisConfig;
  readonly smoke?: SmokeConfig;
  readonly modelVersion: string | undefined;
  readonly mode: RolloutMode;
  /** Take over a lock held by another rollout (an operator aborting or promoting a rollout started elsewhere). */
  readonly takeOver: boolean;
  readonly timeBudgetMs: number;
  readonly healthTimeoutMs: number;
  readonly userQueries?: Readonly<Record<string, UserMetricQuery>>;
}

export interface DeployAction {
  /** As in failure messages and the user agent, e.g. `canary`. */
  readonly name: string;
  readonly version: string;
}

const STATE_POST = 'post';
const STATE_SETTLED = 'settled';

export async function runDeployAction(action: DeployAction, readSpec: () => DeploySpec): Promise<void> {
  if (core.getState(STATE_POST) === 'true') return postPhase(action, readSpec);
  core.saveState(STATE_POST, 'true');
  const spec = readSpec();
  const controller = new AbortController();
  const dispose = abortOnSignals(controller, (signal) => core.warning(`${signal} received: the job is being cancelled, rolling back`));
  try {
    const record = await execute(action, spec, spec.mode, controller.signal);
    publishOutputs(record);
    if (SETTLED.has(record.status)) core.saveState(STATE_SETTLED, 'true');
    if (record.status !== 'promoted' && record.status !== 'paused') {
      throw new Error(`${record.status}: ${record.reason ?? 'see the step table in the job summary'}`);
    }
  } finally {
    dispose();
  }
}

/** The runner runs the post phase with the same inputs, and with the state the main phase saved. */
async function postPhase(action: DeployAction, readSpec: () => DeploySpec): Promise<void> {
  if (core.getState(STATE_SETTLED) === 'true') {
    core.info('the rollout settled in the main step; nothing to clean up');
    return;
  }
  core.warning('the main step ended before the rollout settled (cancelled or killed): rolling back what it left');
  const spec = readSpec();
  const record = await execute(action, spec, 'abort', new AbortController().signal);
  if (!SETTLED.has(record.status)) throw new Error(`cleanup after cancellation ended ${record.status}: ${record.reason ?? ''}`);
  core.info(`cleanup after cancellation: ${record.status}${record.reason ? ` (${record.reason})` : ''}`);
}

async function execute(action: DeployAction, spec: DeploySpec, mode: RolloutMode, signal: AbortSignal): Promise<DeploymentRecord> {
  const { target } = spec;
  const context = runContext(process.env, action.name);
  let rollout;
  try {
    rollout = await createAwsRollout({
      listenerArn: target.listener.arn,
      ...(target.testListener ? { testListenerArn: target.testListener.arn } : {}),
      cluster: target.cluster,
      blueService: target.blueService,
      greenService: target.greenService,
      ...(target.containerName ? { containerName: target.containerName } : {}),
      aws: {
        region: target.region,
        ...(target.endpointUrl ? { endpoint: target.endpointUrl.href.replace(/\/$/, '') } : {}),
        userAgent: `svg-ai-release/${action.version} ${action.name}`,
      },
      metricPeriodSeconds: Math.max(1, Math.round(spec.analysis.periodMs / 1000)),
      ...(spec.userQueries ? { userQueries: spec.userQueries } : {}),
      clock: systemClock,
      logger: runnerLogger(),
    });
  } catch (error) {
    if (error instanceof TopologyError) throw new InputError(TOPOLOGY_INPUTS[error.subject], error.message);
    throw error;
  }
  try {
    const record = await runRollout({
      plan: spec.plan,
      ports: rollout.ports,
      mode,
      signal,
      config: {
        rolloutId: context.rolloutId,
        owner: context.owner,
        ...(context.runUrl ? { runUrl: context.runUrl } : {}),
        revision: revisionSpec(target.image, target.environment, spec.modelVersion),
        analysis: spec.analysis,
        ...(spec.smoke ? { smoke: spec.smoke } : {}),
        timeBudgetMs: spec.timeBudgetMs,
        force: spec.takeOver,
        health: { timeoutMs: spec.healthTimeoutMs, pollIntervalMs: Math.min(5_000, Math.max(500, spec.analysis.periodMs)) },
      },
    });
    await publishSummary(`${action.name}: ${record.status}`, record, consoleLinks(rollout.topology, target.region));
    return record;
  } finally {
    rollout.clients.destroy();
  }
}
