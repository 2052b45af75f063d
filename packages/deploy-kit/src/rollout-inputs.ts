/**
 * The inputs every rollout action shares (what it deploys where, how long it bakes and how it judges,
 * how it may run), declared once: their action.yml names, their parsers and defaults, and how they become
 * the parts of a DeploySpec that do not depend on the plan. Each action supplies the descriptions (its
 * action.yml words them for its own plan) and its bake-time default.
 */
import {
  InputError,
  input,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseInteger,
  parseList,
  parseModelVersion,
  parseNumber,
  parseRequestPath,
  type InputValues,
} from '@svg-ai-release/action-kit';
import type { AnalysisConfig, InconclusivePolicy } from '@svg-ai-release/rollout';
import { deployTarget, targetInputs, type DeployTarget, type TargetInputKey } from './deploy-target.js';
import type { DeploySpec } from './spec.js';

export const MODES = ['deploy', 'resume', 'abort', 'promote'] as const;
export const INCONCLUSIVE_POLICIES = ['extend', 'fail'] as const;
const HOUR = 3_600_000;

export type RolloutInputKey =
  | TargetInputKey
  | 'modelVersion'
  | 'versionPath'
  | 'bakeTime'
  | 'analysisInterval'
  | 'minRequests'
  | 'inconclusivePolicy'
  | 'maxExtensions'
  | 'maxErrorRate'
  | 'maxP95Latency'
  | 'maxP99Latency'
  | 'alarms'
  | 'metricPeriod'
  | 'metricDelay'
  | 'waitHealthyTimeout'
  | 'timeBudget'
  | 'mode'
  | 'takeOver';

export interface RolloutInputTexts {
  readonly descriptions: Readonly<Record<RolloutInputKey, string>>;
  /** The action's own default for `bake-time`. */
  readonly bakeTimeDefault: string;
  /** Whether the action cannot work without a test listener (blue-green validates through it). */
  readonly testListenerRequired: boolean;
}

const duration = (range: { min?: number; max?: number }) => (name: string, raw: string) => parseDuration(name, raw, range);

/** The declarations of the shared inputs, with the action's descriptions. */
export function rolloutInputs(texts: RolloutInputTexts) {
  const d = texts.descriptions;
  return {
    ...targetInputs(d, { testListenerRequired: texts.testListenerRequired }),
    modelVersion: input.optional({ name: 'model-version', description: d.modelVersion, parse: parseModelVersion }),
    versionPath: input.defaultOrOff({ name: 'version-path', description: d.versionPath, default: '/version', parse: parseRequestPath }),
    bakeTime: input.withDefault({
      name: 'bake-time',
      description: d.bakeTime,
      default: texts.bakeTimeDefault,
      parse: duration({ min: 1_000, max: 24 * HOUR }),
    }),
    analysisInterval: input.withDefault({
      name: 'analysis-interval',
      description: d.analysisInterval,
      default: '1m',
      parse: duration({ min: 1_000, max: HOUR }),
    }),
    minRequests: input.withDefault({
      name: 'min-requests',
      description: d.minRequests,
      default: '50',
      parse: (n, r) => parseInteger(n, r, { min: 1, max: 1_000_000 }),
    }),
    inconclusivePolicy: input.withDefault({
      name: 'inconclusive-policy',
      description: d.inconclusivePolicy,
      default: 'extend',
      parse: (n, r) => parseEnum(n, r, INCONCLUSIVE_POLICIES),
    }),
    maxExtensions: input.withDefault({
      name: 'max-extensions',
      description: d.maxExtensions,
      default: '2',
      parse: (n, r) => parseInteger(n, r, { min: 0, max: 10 }),
    }),
    maxErrorRate: input.withDefault({
      name: 'max-error-rate',
      description: d.maxErrorRate,
      default: '0.01',
      parse: (n, r) => parseNumber(n, r, { min: 0, max: 1 }),
    }),
    maxP95Latency: input.optional({ name: 'max-p95-latency', description: d.maxP95Latency, parse: duration({ min: 1 }) }),
    maxP99Latency: input.optional({ name: 'max-p99-latency', description: d.maxP99Latency, parse: duration({ min: 1 }) }),
    alarms: input.optional({ name: 'alarms', description: d.alarms, parse: parseList }),
    metricPeriod: input.withDefault({
      name: 'metric-period',
      description: d.metricPeriod,
      default: '1m',
      parse: duration({ min: 1_000, max: HOUR }),
    }),
    metricDelay: input.withDefault({ name: 'metric-delay', description: d.metricDelay, default: '3m', parse: duration({ max: HOUR }) }),
    waitHealthyTimeout: input.withDefault({
      name: 'wait-healthy-timeout',
      description: d.waitHealthyTimeout,
      default: '10m',
      parse: duration({ min: 1_000, max: 2 * HOUR }),
    }),
    timeBudget: input.withDefault({
      name: 'time-budget',
      description: d.timeBudget,
      default: '5h',
      parse: duration({ min: 60_000, max: 72 * HOUR }),
    }),
    mode: input.withDefault({ name: 'mode', description: d.mode, default: 'deploy', parse: (n, r) => parseEnum(n, r, MODES) }),
    takeOver: input.withDefault({ name: 'take-over', description: d.takeOver, default: 'false', parse: parseBoolean }),
  };
}

export type RolloutInputValues = InputValues<ReturnType<typeof rolloutInputs>>;

export interface RolloutInputs {
  readonly target: DeployTarget;
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
  readonly takeOver: boolean;
}

/** The shared inputs, checked against each other; every refusal names the input at fault. */
export function rolloutSettings(values: RolloutInputValues): RolloutInputs {
  if (values.analysisInterval > values.bakeTime) {
    throw new InputError('analysis-interval', "is longer than 'bake-time', so no analysis would run during a bake");
  }
  if (values.metricPeriod > values.analysisInterval) {
    throw new InputError('metric-period', "is longer than 'analysis-interval': no new metrics would be published between two analyses");
  }
  if (values.mode === 'deploy' && values.image === undefined) {
    throw new InputError('image', 'is required with mode deploy (resume, promote and abort take the image the rollout recorded)');
  }
  return {
    target: deployTarget(values),
    modelVersion: values.modelVersion,
    versionPath: values.versionPath,
    bakeTimeMs: values.bakeTime,
    analysisIntervalMs: values.analysisInterval,
    minRequests: values.minRequests,
    inconclusivePolicy: values.inconclusivePolicy,
    maxExtensions: values.maxExtensions,
    maxErrorRate: values.maxErrorRate,
    maxP95LatencyMs: values.maxP95Latency,
    maxP99LatencyMs: values.maxP99Latency,
    alarms: values.alarms ?? [],
    metricPeriodMs: values.metricPeriod,
    metricDelayMs: values.metricDelay,
    waitHealthyTimeoutMs: values.waitHealthyTimeout,
    timeBudgetMs: values.timeBudget,
    mode: values.mode,
    takeOver: values.takeOver,
  };
}

export function inconclusivePolicy(inputs: RolloutInputs): InconclusivePolicy {
  return inputs.inconclusivePolicy === 'extend'
    ? { action: 'extend', maxExtensions: inputs.maxExtensions, extensionMs: inputs.bakeTimeMs }
    : { action: 'fail' };
}

/** The analysis settings both plans share: metric timing, evidence, absolute SLOs, unhealthy hosts, alarms. */
export function baseAnalysis(inputs: RolloutInputs): AnalysisConfig {
  return {
    periodMs: inputs.metricPeriodMs,
    publicationDelayMs: inputs.metricDelayMs,
    minRequests: inputs.minRequests,
    slo: {
      max5xxRate: inputs.maxErrorRate,
      ...(inputs.maxP95LatencyMs !== undefined ? { maxP95Ms: inputs.maxP95LatencyMs } : {}),
      ...(inputs.maxP99LatencyMs !== undefined ? { maxP99Ms: inputs.maxP99LatencyMs } : {}),
    },
    maxUnhealthyHosts: 0,
    alarms: inputs.alarms,
  };
}

/** The parts of a DeploySpec that come straight from the shared inputs. */
export function baseSpec(
  inputs: RolloutInputs,
): Pick<DeploySpec, 'target' | 'modelVersion' | 'mode' | 'takeOver' | 'timeBudgetMs' | 'healthTimeoutMs'> {
  return {
    target: inputs.target,
    modelVersion: inputs.modelVersion,
    mode: inputs.mode,
    takeOver: inputs.takeOver,
    timeBudgetMs: inputs.timeBudgetMs,
    healthTimeoutMs: inputs.waitHealthyTimeoutMs,
  };
}

/** Which input to name when the topology behind the shared inputs is wrong. */
export const TOPOLOGY_INPUTS = {
  listener: 'listener-arn',
  'test-listener': 'test-listener-arn',
  cluster: 'cluster',
  'blue-service': 'blue-service',
  'green-service': 'green-service',
} as const;
