/** Every input of the canary action, read and validated once into a typed, readonly object. */
import {
  InputError,
  parseDuration,
  parseEnum,
  parseInteger,
  parseList,
  parseNumber,
  parsePercentSteps,
  parseModelVersion,
  parseRequestPath,
  readDeployTarget,
  readOptional,
  readWithDefault,
  type DeployTarget,
} from '@svg-ai-release/action-kit';
import { CANARY } from './contract.js';
import { parseMetricChecks, type MetricCheck } from './metric-checks.js';

const names = CANARY.inputs;
export const MODES = ['deploy', 'resume', 'abort', 'promote'] as const;
export const INCONCLUSIVE_POLICIES = ['extend', 'fail'] as const;
const HOUR = 3_600_000;

export interface CanaryInputs {
  readonly target: DeployTarget;
  readonly steps: readonly number[];
  readonly bakeTimeMs: number;
  readonly analysisIntervalMs: number;
  readonly minRequests: number;
  readonly inconclusivePolicy: (typeof INCONCLUSIVE_POLICIES)[number];
  readonly maxExtensions: number;
  readonly maxErrorRate: number;
  readonly errorRateTolerance: number;
  readonly latencyTolerance: number;
  readonly maxP95LatencyMs: number | undefined;
  readonly maxP99LatencyMs: number | undefined;
  readonly alarms: readonly string[];
  readonly metricChecks: readonly MetricCheck[];
  readonly modelVersion: string | undefined;
  readonly smokeRequests: number;
  readonly smokePath: string;
  readonly versionPath: string | undefined;
  readonly probePath: string | undefined;
  readonly probeIntervalMs: number;
  readonly probeRequests: number;
  readonly probeMaxLatencyMs: number;
  readonly metricPeriodMs: number;
  readonly metricDelayMs: number;
  readonly keepOldForMs: number;
  readonly waitHealthyTimeoutMs: number;
  readonly timeBudgetMs: number;
  readonly mode: (typeof MODES)[number];
}

export function readCanaryInputs(): CanaryInputs {
  const target = readDeployTarget(names);
  const bakeTimeMs = readWithDefault(names.bakeTime, (i, r) => parseDuration(i, r, { min: 1_000, max: 24 * HOUR }), '5m');
  const analysisIntervalMs = readWithDefault(names.analysisInterval, (i, r) => parseDuration(i, r, { min: 1_000, max: HOUR }), '1m');
  if (analysisIntervalMs > bakeTimeMs) {
    throw new InputError(names.analysisInterval, `is longer than '${names.bakeTime}', so no analysis would run during a bake`);
  }
  const probePath = readOptional(names.probePath, parseRequestPath);
  if (probePath !== undefined && target.testListener === undefined) {
    throw new InputError(names.probePath, `needs '${names.testListenerArn}': probes go through the test listener`);
  }
  const metricPeriodMs = readWithDefault(names.metricPeriod, (i, r) => parseDuration(i, r, { min: 1_000, max: HOUR }), '1m');
  if (metricPeriodMs > analysisIntervalMs) {
    throw new InputError(
      names.metricPeriod,
      `is longer than '${names.analysisInterval}': no new metrics would be published between two analyses`,
    );
  }
  return {
    target,
    steps: readWithDefault(names.steps, parsePercentSteps, '10,25,50,100'),
    bakeTimeMs,
    analysisIntervalMs,
    minRequests: readWithDefault(names.minRequests, (i, r) => parseInteger(i, r, { min: 1, max: 1_000_000 }), '50'),
    inconclusivePolicy: readWithDefault(names.inconclusivePolicy, (i, r) => parseEnum(i, r, INCONCLUSIVE_POLICIES), 'extend'),
    maxExtensions: readWithDefault(names.maxExtensions, (i, r) => parseInteger(i, r, { min: 0, max: 10 }), '2'),
    maxErrorRate: readWithDefault(names.maxErrorRate, (i, r) => parseNumber(i, r, { min: 0, max: 1 }), '0.01'),
    errorRateTolerance: readWithDefault(names.errorRateTolerance, (i, r) => parseNumber(i, r, { min: 1, max: 100 }), '1.5'),
    latencyTolerance: readWithDefault(names.latencyTolerance, (i, r) => parseNumber(i, r, { min: 1, max: 100 }), '1.3'),
    maxP95LatencyMs: readOptional(names.maxP95Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    maxP99LatencyMs: readOptional(names.maxP99Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    alarms: readOptional(names.alarms, parseList) ?? [],
    metricChecks: readOptional(names.metricChecks, parseMetricChecks) ?? [],
    modelVersion: readOptional(names.modelVersion, parseModelVersion),
    smokeRequests: readWithDefault(names.smokeRequests, (i, r) => parseInteger(i, r, { min: 0, max: 10_000 }), '10'),
    smokePath: readWithDefault(names.smokePath, parseRequestPath, '/ready'),
    versionPath: readOptional(names.versionPath, parseRequestPath),
    probePath,
    probeIntervalMs: readWithDefault(names.probeInterval, (i, r) => parseDuration(i, r, { min: 100, max: HOUR }), '2s'),
    probeRequests: readWithDefault(names.probeRequests, (i, r) => parseInteger(i, r, { min: 1, max: 1_000 }), '5'),
    probeMaxLatencyMs: readWithDefault(names.probeMaxLatency, (i, r) => parseDuration(i, r, { min: 1, max: 60_000 }), '2s'),
    metricPeriodMs,
    metricDelayMs: readWithDefault(names.metricDelay, (i, r) => parseDuration(i, r, { max: HOUR }), '3m'),
    keepOldForMs: readWithDefault(names.keepOldFor, (i, r) => parseDuration(i, r, { max: 24 * HOUR }), '15m'),
    waitHealthyTimeoutMs: readWithDefault(names.waitHealthyTimeout, (i, r) => parseDuration(i, r, { min: 1_000, max: 2 * HOUR }), '10m'),
    timeBudgetMs: readWithDefault(names.timeBudget, (i, r) => parseDuration(i, r, { min: 60_000, max: 72 * HOUR }), '5h'),
    mode: readWithDefault(names.mode, (i, r) => parseEnum(i, r, MODES), 'deploy'),
  };
}
