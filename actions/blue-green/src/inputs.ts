/** Every input of the blue-green action, read and validated once into a typed, readonly object. */
import {
  InputError,
  parseDuration,
  parseEnum,
  parseInteger,
  parseKeyValueList,
  parseList,
  parseNumber,
  readDeployTarget,
  readOptional,
  readWithDefault,
  type DeployTarget,
} from '@svg-ai-release/action-kit';
import { BLUE_GREEN } from './contract.js';

const names = BLUE_GREEN.inputs;
export const MODES = ['deploy', 'resume', 'abort', 'promote'] as const;
const HOUR = 3_600_000;

export interface BlueGreenInputs {
  readonly target: DeployTarget;
  readonly smoke: {
    readonly path: string;
    readonly requests: number;
    readonly expectedStatus: number;
    readonly maxLatencyMs: number;
  };
  readonly expectedVersion: ReadonlyMap<string, string>;
  readonly bakeTimeMs: number;
  readonly analysisIntervalMs: number;
  readonly minRequests: number;
  readonly maxErrorRate: number;
  readonly maxP95LatencyMs: number | undefined;
  readonly maxP99LatencyMs: number | undefined;
  readonly alarms: readonly string[];
  readonly keepOldForMs: number;
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
  return {
    target,
    smoke: {
      path: readWithDefault(names.smokePath, parsePath, '/ready'),
      requests: readWithDefault(names.smokeRequests, (i, r) => parseInteger(i, r, { min: 1, max: 10_000 }), '20'),
      expectedStatus: readWithDefault(names.smokeExpectedStatus, (i, r) => parseInteger(i, r, { min: 100, max: 599 }), '200'),
      maxLatencyMs: readWithDefault(names.smokeMaxLatency, (i, r) => parseDuration(i, r, { min: 1, max: 60_000 }), '2s'),
    },
    expectedVersion: readOptional(names.expectedVersion, parseKeyValueList) ?? new Map<string, string>(),
    bakeTimeMs,
    analysisIntervalMs,
    minRequests: readWithDefault(names.minRequests, (i, r) => parseInteger(i, r, { min: 1, max: 1_000_000 }), '50'),
    maxErrorRate: readWithDefault(names.maxErrorRate, (i, r) => parseNumber(i, r, { min: 0, max: 1 }), '0.01'),
    maxP95LatencyMs: readOptional(names.maxP95Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    maxP99LatencyMs: readOptional(names.maxP99Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    alarms: readOptional(names.alarms, parseList) ?? [],
    keepOldForMs: readWithDefault(names.keepOldFor, (i, r) => parseDuration(i, r, { max: 24 * HOUR }), '15m'),
    waitHealthyTimeoutMs: readWithDefault(names.waitHealthyTimeout, (i, r) => parseDuration(i, r, { min: 1_000, max: 2 * HOUR }), '10m'),
    timeBudgetMs: readWithDefault(names.timeBudget, (i, r) => parseDuration(i, r, { min: 60_000, max: 72 * HOUR }), '5h'),
    mode: readWithDefault(names.mode, (i, r) => parseEnum(i, r, MODES), 'deploy'),
  };
}

function parsePath(input: string, raw: string): string {
  const value = raw.trim();
  if (!value.startsWith('/') || /\s/.test(value)) throw new InputError(input, `${JSON.stringify(raw)} is not a request path like /ready`);
  return value;
}
