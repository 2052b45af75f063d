/** Every input of the canary action, read and validated once into a typed, readonly object. */
import { InputError, readInputs } from '@svg-ai-release/action-kit';
import { rolloutSettings, type InputSource, type RolloutInputs } from '@svg-ai-release/deploy-kit';
import { CANARY_INPUTS } from './contract.js';
import type { MetricCheck } from './metric-checks.js';

export interface CanaryInputs extends RolloutInputs {
  readonly steps: readonly number[];
  readonly errorRateTolerance: number;
  readonly latencyTolerance: number;
  readonly metricChecks: readonly MetricCheck[];
  readonly smokeRequests: number;
  readonly smokePath: string;
  readonly probePath: string | undefined;
  readonly probeIntervalMs: number;
  readonly probeRequests: number;
  readonly probeMaxLatencyMs: number;
  readonly keepOldForMs: number;
}

/** Reads from the runner by default; a resume reads through the rollout's record instead. */
export function readCanaryInputs(get?: InputSource): CanaryInputs {
  const values = readInputs(CANARY_INPUTS, get);
  const shared = rolloutSettings(values);
  if (values.probePath !== undefined && shared.target.testListener === undefined) {
    throw new InputError('probe-path', "needs 'test-listener-arn': probes go through the test listener");
  }
  return {
    ...shared,
    steps: values.steps,
    errorRateTolerance: values.errorRateTolerance,
    latencyTolerance: values.latencyTolerance,
    metricChecks: values.metricChecks ?? [],
    smokeRequests: values.smokeRequests,
    smokePath: values.smokePath,
    probePath: values.probePath,
    probeIntervalMs: values.probeInterval,
    probeRequests: values.probeRequests,
    probeMaxLatencyMs: values.probeMaxLatency,
    keepOldForMs: values.keepOldFor,
  };
}
