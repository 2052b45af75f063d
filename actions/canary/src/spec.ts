/**
 * The canary's inputs as a rollout: the plan (steps, bakes, analyses, the keep-warm period), the
 * analysis thresholds, the smoke checks, and the user metric queries for the AWS adapter.
 */
import type { DeploySpec } from '@svg-ai-release/deploy-kit';
import type { UserMetricQuery } from '@svg-ai-release/aws';
import { canaryPlan, type AnalysisConfig, type UserMetricCheck } from '@svg-ai-release/rollout';
import type { CanaryInputs } from './inputs.js';
import type { MetricCheck } from './metric-checks.js';

/** Latency differences below this are noise, whatever the ratio (a 2 ms canary against a 1 ms baseline is fine). */
const LATENCY_FLOOR_MS = 25;

export function canarySpec(inputs: CanaryInputs): DeploySpec {
  const hasTestListener = inputs.target.testListener !== undefined;
  const smoke = hasTestListener && inputs.smokeRequests > 0;
  const plan = canaryPlan({
    steps: inputs.steps,
    bakeMs: inputs.bakeTimeMs,
    analysisIntervalMs: inputs.analysisIntervalMs,
    keepOldWarmMs: inputs.keepOldForMs,
    onInconclusive:
      inputs.inconclusivePolicy === 'extend'
        ? { action: 'extend', maxExtensions: inputs.maxExtensions, extensionMs: inputs.bakeTimeMs }
        : { action: 'fail' },
    smoke,
  });
  const analysis: AnalysisConfig = {
    periodMs: inputs.metricPeriodMs,
    publicationDelayMs: inputs.metricDelayMs,
    minRequests: inputs.minRequests,
    // One error per `minRequests` is noise even when the baseline has none.
    errorRate: { relativeTolerance: inputs.errorRateTolerance, absoluteFloor: 1 / inputs.minRequests },
    latency: { percentiles: ['p95', 'p99'], relativeTolerance: inputs.latencyTolerance, absoluteFloorMs: LATENCY_FLOOR_MS },
    slo: {
      max5xxRate: inputs.maxErrorRate,
      ...(inputs.maxP95LatencyMs !== undefined ? { maxP95Ms: inputs.maxP95LatencyMs } : {}),
      ...(inputs.maxP99LatencyMs !== undefined ? { maxP99Ms: inputs.maxP99LatencyMs } : {}),
    },
    maxUnhealthyHosts: 0,
    alarms: inputs.alarms,
    userMetrics: inputs.metricChecks.map(userMetricCheck),
    ...(inputs.probePath !== undefined
      ? {
          probe: {
            request: { count: inputs.probeRequests, path: inputs.probePath, timeoutMs: inputs.probeMaxLatencyMs * 2 },
            expectedStatus: 200,
            maxLatencyMs: inputs.probeMaxLatencyMs,
            maxFailures: 1,
            intervalMs: inputs.probeIntervalMs,
          },
        }
      : {}),
  };
  return {
    target: inputs.target,
    plan,
    analysis,
    ...(smoke
      ? {
          smoke: {
            request: { count: inputs.smokeRequests, path: inputs.smokePath, timeoutMs: inputs.probeMaxLatencyMs * 2 },
            expectedStatus: 200,
            maxLatencyMs: inputs.probeMaxLatencyMs,
            maxFailures: 1,
            ...(inputs.versionPath !== undefined ? { versionPath: inputs.versionPath } : {}),
          },
        }
      : {}),
    modelVersion: inputs.modelVersion,
    mode: inputs.mode,
    timeBudgetMs: inputs.timeBudgetMs,
    healthTimeoutMs: inputs.waitHealthyTimeoutMs,
    userQueries: Object.fromEntries(inputs.metricChecks.map((check) => [check.name, userMetricQuery(check)])),
  };
}

function userMetricCheck(check: MetricCheck): UserMetricCheck {
  switch (check.rule.kind) {
    case 'min':
      return { kind: 'threshold', name: check.name, query: check.name, min: check.rule.value };
    case 'max':
      return { kind: 'threshold', name: check.name, query: check.name, max: check.rule.value };
    case 'max-drop-ratio':
      return { kind: 'relative', name: check.name, query: check.name, better: 'higher', relativeTolerance: check.rule.value };
    case 'max-rise-ratio':
      return { kind: 'relative', name: check.name, query: check.name, better: 'lower', relativeTolerance: check.rule.value };
  }
}

function userMetricQuery(check: MetricCheck): UserMetricQuery {
  return {
    namespace: check.namespace,
    metricName: check.metricName,
    stat: check.stat,
    dimensions: check.dimensions,
    canaryDimensions: check.canaryDimensions,
    baselineDimensions: check.baselineDimensions,
  };
}
