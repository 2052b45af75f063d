/**
 * The canary's inputs as a rollout: the plan (steps, bakes, analyses, the keep-warm period), the
 * analysis thresholds, the smoke checks, and the user metric queries for the AWS adapter.
 */
import type { UserMetricQuery } from '@svg-ai-release/aws';
import { baseAnalysis, baseSpec, inconclusivePolicy, type DeploySpec } from '@svg-ai-release/deploy-kit';
import { canaryPlan, type ProbeCheckConfig, type UserMetricCheck } from '@svg-ai-release/rollout';
import type { CanaryInputs } from './inputs.js';
import type { MetricCheck } from './metric-checks.js';

/** Latency differences below this are noise, whatever the ratio (a 2 ms canary against a 1 ms baseline is fine). */
const LATENCY_FLOOR_MS = 25;

export function canarySpec(inputs: CanaryInputs): DeploySpec {
  const smoke = inputs.target.testListener !== undefined && inputs.smokeRequests > 0;
  const plan = canaryPlan({
    steps: inputs.steps,
    bakeMs: inputs.bakeTimeMs,
    analysisIntervalMs: inputs.analysisIntervalMs,
    keepOldWarmMs: inputs.keepOldForMs,
    onInconclusive: inconclusivePolicy(inputs),
    smoke,
  });
  const probeCheck = (count: number, path: string): ProbeCheckConfig => ({
    request: { count, path, timeoutMs: inputs.probeMaxLatencyMs * 2 },
    expectedStatus: 200,
    maxLatencyMs: inputs.probeMaxLatencyMs,
    maxFailures: 1,
  });
  return {
    ...baseSpec(inputs),
    plan,
    analysis: {
      ...baseAnalysis(inputs),
      // One error per `minRequests` is noise even when the baseline has none.
      errorRate: { maxRatio: inputs.errorRateTolerance, absoluteFloor: 1 / inputs.minRequests },
      latency: { percentiles: ['p95', 'p99'], maxRatio: inputs.latencyTolerance, absoluteFloorMs: LATENCY_FLOOR_MS },
      userMetrics: inputs.metricChecks.map(userMetricCheck),
      ...(inputs.probePath !== undefined
        ? { probe: { ...probeCheck(inputs.probeRequests, inputs.probePath), intervalMs: inputs.probeIntervalMs } }
        : {}),
    },
    ...(smoke
      ? {
          smoke: {
            ...probeCheck(inputs.smokeRequests, inputs.smokePath),
            ...(inputs.versionPath !== undefined ? { versionPath: inputs.versionPath } : {}),
          },
        }
      : {}),
    userQueries: Object.fromEntries(inputs.metricChecks.map((check) => [check.name, userMetricQuery(check)])),
  };
}

function userMetricCheck(check: MetricCheck): UserMetricCheck {
  const common = { name: check.name, query: check.name, ...(check.allowNoData ? { allowNoData: true } : {}) };
  switch (check.rule.kind) {
    case 'min':
      return { kind: 'threshold', ...common, min: check.rule.value };
    case 'max':
      return { kind: 'threshold', ...common, max: check.rule.value };
    case 'max-drop-ratio':
      return { kind: 'relative', ...common, better: 'higher', maxRatio: check.rule.value };
    case 'max-rise-ratio':
      return { kind: 'relative', ...common, better: 'lower', maxRatio: check.rule.value };
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
