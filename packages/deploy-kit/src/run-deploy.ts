/**
 * The life of a canary or blue-green action step, shared by both: the main phase runs the rollout on AWS
 * with cancellation wired to an abort; the post phase (which the runner runs even when the job is
 * cancelled) rolls back a rollout that the main phase could not settle, e.g. because it was killed.
 * The post phase is armed only just before the first write to AWS (taking the lock): a run that failed
 * before it changed anything has nothing to clean up, and its post phase says nothing.
 * Failures are thrown to the action's single failure funnel.
 */
import * as core from '@actions/core';
import { createAwsRollout, systemClock, TopologyError, type AwsRollout } from '@svg-ai-release/aws';
import { InputError, type InputDeclaration } from '@svg-ai-release/action-kit';
import { runRollout, type DeploymentRecord, type RolloutMode } from '@svg-ai-release/rollout';
import { consoleLinks } from './console-links.js';
import { runContext } from './context.js';
import { runnerLogger } from './logger.js';
import { recordedSource, parseRecord, recordInputs } from './recorded-inputs.js';
import { publishOutputs, publishSummary, SETTLED } from './results.js';
import { TOPOLOGY_INPUTS } from './rollout-inputs.js';
import { revisionSpec } from './revision.js';
import { abortOnSignals } from './signals.js';
import type { DeploySpec, InputSource, SpecReader } from './spec.js';

export interface DeployAction {
  /** As in failure messages and the user agent, e.g. `canary`. */
  readonly name: string;
  readonly version: string;
  /** The action's input declaration: what is recorded with the lock, and read back by a resume. */
  readonly inputs: InputDeclaration;
  readonly readSpec: SpecReader;
}

/** Saved at the start of the main phase, so that the post phase knows it is the post phase. */
const STATE_STARTED = 'started';
/** Saved just before the first write to AWS: from then on, an unsettled end needs the post phase. */
const STATE_ARMED = 'armed';
const STATE_SETTLED = 'settled';

const runnerInput: InputSource = (name) => core.getInput(name);

export async function runDeployAction(action: DeployAction): Promise<void> {
  if (core.getState(STATE_STARTED) === 'true') return postPhase(action);
  core.saveState(STATE_STARTED, 'true');
  const spec = action.readSpec(runnerInput);
  const controller = new AbortController();
  const dispose = abortOnSignals(controller, (signal) => core.warning(`${signal} received: the job is being cancelled, rolling back`));
  try {
    const record = await execute(action, spec, spec.mode, controller.signal, () => core.saveState(STATE_ARMED, 'true'));
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
async function postPhase(action: DeployAction): Promise<void> {
  if (core.getState(STATE_ARMED) !== 'true') {
    core.debug('the main step changed nothing in AWS; nothing to clean up');
    return;
  }
  if (core.getState(STATE_SETTLED) === 'true') {
    core.debug('the rollout settled in the main step; nothing to clean up');
    return;
  }
  core.warning('the main step ended before the rollout settled (cancelled or killed): rolling back what it left');
  const spec = action.readSpec(runnerInput);
  const record = await execute(action, spec, 'abort', new AbortController().signal, () => undefined);
  publishOutputs(record);
  if (!SETTLED.has(record.status)) throw new Error(`cleanup after cancellation ended ${record.status}: ${record.reason ?? ''}`);
  core.info(`cleanup after cancellation: ${record.status}${record.reason ? ` (${record.reason})` : ''}`);
}

async function connect(action: DeployAction, spec: DeploySpec): Promise<AwsRollout> {
  const { target } = spec;
  try {
    return await createAwsRollout({
      listenerArn: target.listener.arn,
      ...(target.testListener ? { testListenerArn: target.testListener.arn } : {}),
      ...(target.testHost ? { testHost: target.testHost } : {}),
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
}

/**
 * A run that continues a rollout (resume, promote, abort) reads its inputs through the record kept with
 * the lock: the recorded plan and settings, the image and the model version, with the run's own on top.
 */
async function specToRun(action: DeployAction, given: DeploySpec, mode: RolloutMode, rollout: AwsRollout): Promise<DeploySpec> {
  if (mode === 'deploy') return given;
  const lock = await rollout.ports.state.read();
  if (lock?.definition === undefined) return given;
  const source = recordedSource(action.inputs, runnerInput, parseRecord(lock.definition));
  const spec = action.readSpec(source);
  core.info(`continuing the recorded rollout ${lock.rolloutId} of ${lock.targetImage} with its recorded plan and settings`);
  return { ...spec, mode: given.mode, takeOver: given.takeOver, timeBudgetMs: given.timeBudgetMs };
}

async function execute(
  action: DeployAction,
  given: DeploySpec,
  mode: RolloutMode,
  signal: AbortSignal,
  arm: () => void,
): Promise<DeploymentRecord> {
  const context = runContext(process.env, action.name);
  const rollout = await connect(action, given);
  try {
    const spec = await specToRun(action, given, mode, rollout);
    const { target } = spec;
    // Preflight's first write is taking the lock: from here on, a killed run needs its post phase.
    arm();
    const record = await runRollout({
      plan: spec.plan,
      ports: rollout.ports,
      mode,
      signal,
      config: {
        rolloutId: context.rolloutId,
        owner: context.owner,
        ...(context.runUrl ? { runUrl: context.runUrl } : {}),
        ...(target.image !== undefined ? { revision: revisionSpec(target.image, target.environment, spec.modelVersion) } : {}),
        definition: recordInputs(action.inputs, runnerInput),
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
