/** Every input of the blue-green action, read and validated once into a typed, readonly object. */
import {
  InputError,
  parseDuration,
  parseEnum,
  parseInteger,
  parseList,
  parseNumber,
  parseModelVersion,
  parseRequestPath,
  readDeployTarget,
  readOptional,
  readWithDefault,
  type DeployTarget,
} from '@svg-ai-release/action-kit';
import { BLUE_GREEN } from './contract.js';

const names = BLUE_GREEN.inputs;
export const MODES = ['deploy', 'resume', 'abort', 'promote'] as const;
export const INCONCLUSIVE_POLICIES = ['extend', 'fail'] as const;
const HOUR = 3_600_000;

export interface BlueGreenInputs {
  readonly target: DeployTarget;
  readonly smoke: {
    readonly path: string;
    readonly requests: number;
    readonly expectedStatus: number;
    readonly maxLatencyMs: number;
  };
  readonly modelVersion: string | undefined;
  readonly versionPath: string | undefined;
  readonly bakeTimeMs: number;
  readonly analysisIntervalMs: number;
  readonly minRequests: number;
  readonly inconclusivePolicy: (typeof INCONCLUSIVE_POLICIES)[number];
  readonly maxExtensions: number;
  readonly maxErrorRate: number;
  readonly maxP95LatencyMs: number | undefined;
  readonly maxP99LatencyMs: number | undefined;
  readonly alarms: readonly string[];
  readonly metricPeriodMs: number;
  readonly metricDelayMs: number;
  readonly waitHealthyTimeoutMs: number;
  readonly timeBudgetMs: number;
  readonly mode: (typeof MODES)[number];
}

export function readBlueGreenInputs(): BlueGreenInputs {
  const target = readDeployTarget(names);
  if (target.testListener === undefined) {
    throw new InputError(names.testListenerArn, 'is required: blue-green validates the new colour through it before the switch');
  }
  const bakeTimeMs = readWithDefault(names.bakeTime, (i, r) => parseDuration(i, r, { min: 1_000, max: 24 * HOUR }), '10m');
  const analysisIntervalMs = readWithDefault(names.analysisInterval, (i, r) => parseDuration(i, r, { min: 1_000, max: HOUR }), '1m');
  if (analysisIntervalMs > bakeTimeMs) {
    throw new InputError(names.analysisInterval, `is longer than '${names.bakeTime}', so no analysis would run during the bake`);
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
    smoke: {
      path: readWithDefault(names.smokePath, parseRequestPath, '/ready'),
      requests: readWithDefault(names.smokeRequests, (i, r) => parseInteger(i, r, { min: 1, max: 10_000 }), '20'),
      expectedStatus: readWithDefault(names.smokeExpectedStatus, (i, r) => parseInteger(i, r, { min: 100, max: 599 }), '200'),
      maxLatencyMs: readWithDefault(names.smokeMaxLatency, (i, r) => parseDuration(i, r, { min: 1, max: 60_000 }), '2s'),
    },
    modelVersion: readOptional(names.modelVersion, parseModelVersion),
    versionPath: readOptional(names.versionPath, parseRequestPath),
    bakeTimeMs,
    analysisIntervalMs,
    minRequests: readWithDefault(names.minRequests, (i, r) => parseInteger(i, r, { min: 1, max: 1_000_000 }), '50'),
    inconclusivePolicy: readWithDefault(names.inconclusivePolicy, (i, r) => parseEnum(i, r, INCONCLUSIVE_POLICIES), 'extend'),
    maxExtensions: readWithDefault(names.maxExtensions, (i, r) => parseInteger(i, r, { min: 0, max: 10 }), '2'),
    maxErrorRate: readWithDefault(names.maxErrorRate, (i, r) => parseNumber(i, r, { min: 0, max: 1 }), '0.01'),
    maxP95LatencyMs: readOptional(names.maxP95Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    maxP99LatencyMs: readOptional(names.maxP99Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    alarms: readOptional(names.alarms, parseList) ?? [],
    metricPeriodMs,
    metricDelayMs: readWithDefault(names.metricDelay, (i, r) => parseDuration(i, r, { max: HOUR }), '3m'),
    waitHealthyTimeoutMs: readWithDefault(names.waitHealthyTimeout, (i, r) => parseDuration(i, r, { min: 1_000, max: 2 * HOUR }), '10m'),
    timeBudgetMs: readWithDefault(names.timeBudget, (i, r) => parseDuration(i, r, { min: 60_000, max: 72 * HOUR }), '5h'),
    mode: readWithDefault(names.mode, (i, r) => parseEnum(i, r, MODES), 'deploy'),
  };
}
