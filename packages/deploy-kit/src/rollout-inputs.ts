/**
 * The inputs every rollout action shares (what it deploys where, how long it bakes and how it judges,
 * how it may run), declared once: their action.yml names, how they are read and validated, and how
 * they become the parts of a DeploySpec that do not depend on the plan.
 */
import {
  InputError,
  parseDuration,
  parseEnum,
  parseInteger,
  parseBoolean,
  parseList,
  parseModelVersion,
  parseNumber,
  parseRequestPath,
  readDeployTarget,
  readOptional,
  readWithDefault,
  type DeployTarget,
} from '@svg-ai-release/action-kit';
import type { AnalysisConfig, InconclusivePolicy } from '@svg-ai-release/rollout';
import type { DeploySpec } from './run-deploy.js';

/** Input names (camelCase in code, kebab-case in action.yml) common to the canary and blue-green actions. */
export const ROLLOUT_INPUTS = {
  listenerArn: 'listener-arn',
  testListenerArn: 'test-listener-arn',
  cluster: 'cluster',
  blueService: 'blue-service',
  greenService: 'green-service',
  image: 'image',
  containerName: 'container-name',
  environment: 'environment',
  modelVersion: 'model-version',
  versionPath: 'version-path',
  bakeTime: 'bake-time',
  analysisInterval: 'analysis-interval',
  minRequests: 'min-requests',
  inconclusivePolicy: 'inconclusive-policy',
  maxExtensions: 'max-extensions',
  maxErrorRate: 'max-error-rate',
  maxP95Latency: 'max-p95-latency',
  maxP99Latency: 'max-p99-latency',
  alarms: 'alarms',
  metricPeriod: 'metric-period',
  metricDelay: 'metric-delay',
  waitHealthyTimeout: 'wait-healthy-timeout',
  timeBudget: 'time-budget',
  mode: 'mode',
  takeOver: 'take-over',
  awsRegion: 'aws-region',
  endpointUrl: 'endpoint-url',
} as const;

/** Output names common to the canary and blue-green actions. */
export const ROLLOUT_OUTPUTS = {
  deploymentRecord: 'deployment-record',
  status: 'status',
  rolledBack: 'rolled-back',
  liveColour: 'live-colour',
  taskDefinitionArn: 'task-definition-arn',
} as const;

export const MODES = ['deploy', 'resume', 'abort', 'promote'] as const;
export const INCONCLUSIVE_POLICIES = ['extend', 'fail'] as const;
const HOUR = 3_600_000;

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

/** Reads the shared inputs; `bakeTimeDefault` is the action's own default from its action.yml. */
export function readRolloutInputs(bakeTimeDefault: string): RolloutInputs {
  const names = ROLLOUT_INPUTS;
  const bakeTimeMs = readWithDefault(names.bakeTime, (i, r) => parseDuration(i, r, { min: 1_000, max: 24 * HOUR }), bakeTimeDefault);
  const analysisIntervalMs = readWithDefault(names.analysisInterval, (i, r) => parseDuration(i, r, { min: 1_000, max: HOUR }), '1m');
  if (analysisIntervalMs > bakeTimeMs) {
    throw new InputError(names.analysisInterval, `is longer than '${names.bakeTime}', so no analysis would run during a bake`);
  }
  const metricPeriodMs = readWithDefault(names.metricPeriod, (i, r) => parseDuration(i, r, { min: 1_000, max: HOUR }), '1m');
  if (metricPeriodMs > analysisIntervalMs) {
    throw new InputError(
      names.metricPeriod,
      `is longer than '${names.analysisInterval}': no new metrics would be published between two analyses`,
    );
  }
  return {
    target: readDeployTarget(names),
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
    takeOver: readWithDefault(names.takeOver, parseBoolean, 'false'),
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
  listener: ROLLOUT_INPUTS.listenerArn,
  'test-listener': ROLLOUT_INPUTS.testListenerArn,
  cluster: ROLLOUT_INPUTS.cluster,
  'blue-service': ROLLOUT_INPUTS.blueService,
  'green-service': ROLLOUT_INPUTS.greenService,
} as const;
