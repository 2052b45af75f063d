/** Every input of the canary action, read and validated once into a typed, readonly object. */
import {
  InputError,
  parseDuration,
  parseInteger,
  parseNumber,
  parsePercentSteps,
  parseRequestPath,
  readOptional,
  readWithDefault,
} from '@svg-ai-release/action-kit';
import { readRolloutInputs, type RolloutInputs } from '@svg-ai-release/deploy-kit';
import { CANARY } from './contract.js';
import { parseMetricChecks, type MetricCheck } from './metric-checks.js';

const names = CANARY.inputs;
const HOUR = 3_600_000;

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

export function readCanaryInputs(): CanaryInputs {
  const shared = readRolloutInputs('5m');
  const probePath = readOptional(names.probePath, parseRequestPath);
  if (probePath !== undefined && shared.target.testListener === undefined) {
    throw new InputError(names.probePath, `needs '${names.testListenerArn}': probes go through the test listener`);
  }
  return {
    ...shared,
    steps: readWithDefault(names.steps, parsePercentSteps, '10,25,50,100'),
    errorRateTolerance: readWithDefault(names.errorRateTolerance, (i, r) => parseNumber(i, r, { min: 1, max: 100 }), '1.5'),
    latencyTolerance: readWithDefault(names.latencyTolerance, (i, r) => parseNumber(i, r, { min: 1, max: 100 }), '1.3'),
    metricChecks: readOptional(names.metricChecks, parseMetricChecks) ?? [],
    smokeRequests: readWithDefault(names.smokeRequests, (i, r) => parseInteger(i, r, { min: 0, max: 10_000 }), '10'),
    smokePath: readWithDefault(names.smokePath, parseRequestPath, '/ready'),
    probePath,
    probeIntervalMs: readWithDefault(names.probeInterval, (i, r) => parseDuration(i, r, { min: 100, max: HOUR }), '2s'),
    probeRequests: readWithDefault(names.probeRequests, (i, r) => parseInteger(i, r, { min: 1, max: 1_000 }), '5'),
    probeMaxLatencyMs: readWithDefault(names.probeMaxLatency, (i, r) => parseDuration(i, r, { min: 1, max: 60_000 }), '2s'),
    keepOldForMs: readWithDefault(names.keepOldFor, (i, r) => parseDuration(i, r, { max: 24 * HOUR }), '15m'),
  };
}
